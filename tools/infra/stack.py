"""Kafka and FerretDB together: start, report health, stop. Used by ``vanthu infra`` and by tests.

Kafka is one node by default, or a cluster of ``brokers`` nodes on loopback (every node a broker
and a KRaft voter; Vanthu's topics then get replication factor 3 and ``min.insync.replicas=2``
through :meth:`LocalInfra.client_env`). ``secure``: SASL/SCRAM over TLS with ACLs
(:mod:`tools.infra.kafka_security`). A ``state.json`` in the data directory records the pids and
ports, so that ``vanthu infra status`` and ``vanthu infra down`` work from another shell.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tools.infra.ferretdb import FerretNode
from tools.infra.kafka import KafkaNode, cluster_nodes, new_cluster_id
from tools.infra.paths import free_port, port_open
from tools.infra.process import ManagedProcess

if TYPE_CHECKING:
    from tools.infra.kafka_security import ListenerSecurity


@dataclass
class InfraPorts:
    """The ports one local stack listens on."""

    kafka: int = 9092
    kafka_controller: int = 9093
    ferretdb: int = 27017
    more_kafka: list[list[int]] = field(default_factory=list)
    """[port, controller port] of the second, third, ... node of a Kafka cluster."""

    @classmethod
    def free(cls, brokers: int = 1) -> InfraPorts:
        """Pick free ports, so that two test sessions never collide."""
        return cls(kafka=free_port(), kafka_controller=free_port(), ferretdb=free_port(),
                   more_kafka=[[free_port(), free_port()] for _ in range(brokers - 1)])

    @classmethod
    def fixed(cls, brokers: int = 1, kafka: int = 9092, kafka_controller: int = 9093,
              ferretdb: int = 27017) -> InfraPorts:
        """Well-known ports: node ``i`` (from 0) of a cluster on ``kafka + 2i`` and
        ``kafka_controller + 2i`` (9092/9093, 9094/9095, 9096/9097)."""
        return cls(kafka, kafka_controller, ferretdb,
                   [[kafka + 2 * i, kafka_controller + 2 * i] for i in range(1, brokers)])

    @property
    def kafka_nodes(self) -> list[tuple[int, int]]:
        """(port, controller port) of every Kafka node."""
        return [(self.kafka, self.kafka_controller), *((p, c) for p, c in self.more_kafka)]


@dataclass
class LocalInfra:
    """A local Kafka (KRaft, one node or a cluster) and FerretDB, each node a child process,
    sharing one data directory."""

    data_dir: Path
    ports: InfraPorts
    secure: bool = False

    def __post_init__(self) -> None:
        self.security: ListenerSecurity | None = None
        if self.secure:  # (cryptography is imported only for it)
            from tools.infra.kafka_security import ListenerSecurity

            self.security = ListenerSecurity(self.data_dir / "kafka-secrets")
        nodes = cluster_nodes(self.data_dir / ("kafka-secure" if self.secure else "kafka"),
                              self.ports.kafka_nodes, listener=self.security)
        names = ["kafka"] if len(nodes) == 1 else [f"kafka{n.node_id}" for n in nodes]
        self.kafka_nodes: dict[str, KafkaNode] = dict(zip(names, nodes, strict=True))
        self.kafka = nodes[0]
        self.ferret = FerretNode(self.data_dir / "ferretdb", self.ports.ferretdb)
        self.processes: dict[str, ManagedProcess] = {}

    @property
    def brokers(self) -> int:
        """How many Kafka nodes."""
        return len(self.kafka_nodes)

    @property
    def kafka_bootstrap(self) -> str:
        """Bootstrap servers of the local Kafka (every node)."""
        return ",".join(node.bootstrap for node in self.kafka_nodes.values())

    @property
    def mongodb_url(self) -> str:
        """Connection URL of the local FerretDB."""
        return self.ferret.url

    @property
    def state_file(self) -> Path:
        """Where pids and ports are recorded."""
        return self.data_dir / "state.json"

    def client_env(self) -> dict[str, str]:
        """The settings every service needs for this Kafka: replication of a cluster's topics
        (the security of :attr:`security` is per service: ``security.client_env``)."""
        if self.brokers == 1:
            return {}
        return {"KAFKA_REPLICATION_FACTOR": str(min(3, self.brokers)),
                "KAFKA_MIN_INSYNC_REPLICAS": "2"}

    def start(self) -> None:
        """Start whatever is not running yet, and record it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._load()
        if not self._healthy("ferretdb"):
            self.processes["ferretdb"] = self.ferret.start()
            self._save()
        down = [name for name in self.kafka_nodes if not self._healthy(name)]
        if down:
            self.start_kafka(down)
        if self.security is not None:
            from tools.infra.kafka_acls import prepare_secure_cluster

            prepare_secure_cluster(self)

    def start_kafka(self, names: list[str]) -> None:
        """Format (one cluster id for the whole cluster) and start ``names`` together: a node of
        a cluster reports started only once a majority of the voters runs."""
        if self.security is not None:
            from tools.infra.kafka_security import ListenerSecurity

            ListenerSecurity.create(self.security.directory)
        cluster_id = new_cluster_id()
        with ThreadPoolExecutor(len(names)) as pool:
            list(pool.map(lambda name: self.kafka_nodes[name].format(cluster_id), names))
        for name in names:
            proc = self.kafka_nodes[name].spawn()
            self.processes[name] = ManagedProcess(name, proc.pid, proc.log_path)
        self._save()
        for name in names:
            KafkaNode.wait_started(self.processes[name])

    def start_one(self, name: str) -> None:
        """(Re)start one component: ``kafka`` (``kafka1``, ``kafka2``... of a cluster) or
        ``ferretdb`` (fault tests)."""
        if name in self.kafka_nodes:
            self.start_kafka([name])
        else:
            self.processes[name] = self.ferret.start()
            self._save()

    def stop_one(self, name: str, *, hard: bool = False) -> None:
        """Stop one component, gracefully or with SIGKILL."""
        proc = self.processes.pop(name, None)
        if proc is not None:
            proc.kill() if hard else proc.stop()
        self._save()

    def stop(self) -> None:
        """Stop Kafka first (its nodes together: each may flush to disk), then FerretDB."""
        self._load()
        with ThreadPoolExecutor(max(1, self.brokers)) as pool:
            list(pool.map(self.stop_one, list(self.kafka_nodes)))
        self.stop_one("ferretdb")
        self.state_file.unlink(missing_ok=True)

    def status(self) -> dict[str, dict[str, object]]:
        """Return, per component, its pid, port, address and whether it is healthy."""
        self._load()
        report: dict[str, dict[str, object]] = {}
        components = [(name, node.port, node.bootstrap) for name, node in self.kafka_nodes.items()]
        for name, port, address in [*components,
                                    ("ferretdb", self.ports.ferretdb, self.mongodb_url)]:
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
        node = self.kafka_nodes.get(name)
        port = node.port if node is not None else self.ports.ferretdb
        return proc is not None and proc.alive() and port_open("127.0.0.1", port)

    def _save(self) -> None:
        state = {
            "ports": asdict(self.ports),
            "secure": self.secure,
            "processes": {n: {"pid": p.pid, "log": str(p.log_path)} for n, p in self.processes.items()},
        }
        self.state_file.write_text(json.dumps(state, indent=2))

    def _load(self) -> None:
        if self.processes or not self.state_file.exists():
            return
        state = json.loads(self.state_file.read_text())
        self.ports = InfraPorts(**state["ports"])
        self.secure = bool(state.get("secure", False))
        self.__post_init__()
        for name, info in state["processes"].items():
            proc = ManagedProcess(name=name, pid=info["pid"], log_path=Path(info["log"]))
            if proc.alive():
                self.processes[name] = proc
