"""Kafka and FerretDB together: start, report health, stop. Used by ``vanthu infra`` and by tests.

A ``state.json`` in the data directory records the pids and ports, so that ``vanthu infra status``
and ``vanthu infra down`` work from another shell.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tools.infra.ferretdb import FerretNode
from tools.infra.kafka import KafkaNode
from tools.infra.paths import free_port, port_open
from tools.infra.process import ManagedProcess


@dataclass
class InfraPorts:
    """The ports one local stack listens on."""

    kafka: int = 9092
    kafka_controller: int = 9093
    ferretdb: int = 27017

    @classmethod
    def free(cls) -> InfraPorts:
        """Pick free ports, so that two test sessions never collide."""
        return cls(kafka=free_port(), kafka_controller=free_port(), ferretdb=free_port())


@dataclass
class LocalInfra:
    """A local Kafka (KRaft) and FerretDB, each a child process, sharing one data directory."""

    data_dir: Path
    ports: InfraPorts

    def __post_init__(self) -> None:
        self.kafka = KafkaNode(self.data_dir / "kafka", self.ports.kafka, self.ports.kafka_controller)
        self.ferret = FerretNode(self.data_dir / "ferretdb", self.ports.ferretdb)
        self.processes: dict[str, ManagedProcess] = {}

    @property
    def kafka_bootstrap(self) -> str:
        """Bootstrap servers of the local Kafka."""
        return self.kafka.bootstrap

    @property
    def mongodb_url(self) -> str:
        """Connection URL of the local FerretDB."""
        return self.ferret.url

    @property
    def state_file(self) -> Path:
        """Where pids and ports are recorded."""
        return self.data_dir / "state.json"

    def start(self) -> None:
        """Start whatever is not running yet, and record it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._load()
        if not self._healthy("ferretdb"):
            self.processes["ferretdb"] = self.ferret.start()
            self._save()
        if not self._healthy("kafka"):
            self.processes["kafka"] = self.kafka.start()
            self._save()

    def start_one(self, name: str) -> None:
        """(Re)start one component: ``kafka`` or ``ferretdb`` (fault tests)."""
        node = self.kafka if name == "kafka" else self.ferret
        self.processes[name] = node.start()
        self._save()

    def stop_one(self, name: str, *, hard: bool = False) -> None:
        """Stop one component, gracefully or with SIGKILL."""
        proc = self.processes.pop(name, None)
        if proc is not None:
            proc.kill() if hard else proc.stop()
        self._save()

    def stop(self) -> None:
        """Stop Kafka first (it may flush to disk), then FerretDB."""
        self._load()
        for name in ("kafka", "ferretdb"):
            self.stop_one(name)
        self.state_file.unlink(missing_ok=True)

    def status(self) -> dict[str, dict[str, object]]:
        """Return, per component, its pid, port, address and whether it is healthy."""
        self._load()
        report: dict[str, dict[str, object]] = {}
        for name, port, address in (
            ("kafka", self.ports.kafka, self.kafka_bootstrap),
            ("ferretdb", self.ports.ferretdb, self.mongodb_url),
        ):
            proc = self.processes.get(name)
            report[name] = {
                "pid": proc.pid if proc else None,
                "port": port,
                "address": address,
                "healthy": self._healthy(name),
            }
        return report

    def _healthy(self, name: str) -> bool:
        proc = self.processes.get(name)
        port = self.ports.kafka if name == "kafka" else self.ports.ferretdb
        return proc is not None and proc.alive() and port_open("127.0.0.1", port)

    def _save(self) -> None:
        state = {
            "ports": asdict(self.ports),
            "processes": {n: {"pid": p.pid, "log": str(p.log_path)} for n, p in self.processes.items()},
        }
        self.state_file.write_text(json.dumps(state, indent=2))

    def _load(self) -> None:
        if self.processes or not self.state_file.exists():
            return
        state = json.loads(self.state_file.read_text())
        self.ports = InfraPorts(**state["ports"])
        self.__post_init__()
        for name, info in state["processes"].items():
            proc = ManagedProcess(name=name, pid=info["pid"], log_path=Path(info["log"]))
            if proc.alive():
                self.processes[name] = proc
