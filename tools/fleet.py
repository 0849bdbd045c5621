"""Running the four services as OS processes; :mod:`tools.stack_harness` puts them on infrastructure."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tools.infra.paths import port_open
from tools.infra.process import InfraError, ManagedProcess

SERVICES: tuple[str, ...] = ("tracker", "notifier", "router", "ingest")
"""Start order: consumers before producers, so nothing waits in Kafka longer than needed."""

DEFAULT_PORTS: dict[str, int] = {"ingest": 8000, "router": 8001, "tracker": 8002, "notifier": 8003}


@dataclass
class ServiceFleet:
    """The four services as child processes sharing one environment."""

    env: dict[str, str]
    log_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    processes: dict[str, ManagedProcess] = field(default_factory=dict)
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    """Settings of one service only (its own Kafka principal in secure mode), over ``env``."""

    def url(self, service: str) -> str:
        """Base URL of ``service``'s HTTP endpoints."""
        return f"http://127.0.0.1:{self.ports[service]}"

    def _env(self, service: str | None = None) -> dict[str, str]:
        env = {**os.environ, **self.env, **self.service_env.get(service or "", {}),
               "PYTHONUNBUFFERED": "1"}
        for name, port in self.ports.items():
            env[f"{name.upper()}_PORT"] = str(port)
        env.setdefault("INGEST_TRACKER_URL", self.url("tracker"))
        env.setdefault("NOTIFIER_TRACKER_URL", self.url("tracker"))
        return env

    def start(self, service: str, timeout: float = 60.0) -> ManagedProcess:
        """Start one service and wait until its /health answers 200."""
        proc = ManagedProcess.spawn(
            service, [sys.executable, "-m", f"services.{service}.main"],
            log_path=self.log_dir / f"{service}.log", env=self._env(service),
        )
        self.processes[service] = proc
        proc.wait_until(lambda: self.healthy(service), timeout, "200 from /ready")
        return proc

    def start_sink(self, directory: Path, smtp_port: int, webhook_port: int) -> ManagedProcess:
        """Start the local mail and webhook catchers (``vanthu sink``) and wait for their ports."""
        proc = ManagedProcess.spawn(
            "sink", [sys.executable, "-m", "tools.cli", "sink", "--directory", str(directory),
                     "--smtp-port", str(smtp_port), "--webhook-port", str(webhook_port)],
            log_path=self.log_dir / "sink.log", env=self._env())
        self.processes["sink"] = proc
        proc.wait_until(lambda: port_open("127.0.0.1", smtp_port)
                        and port_open("127.0.0.1", webhook_port), 30, "open ports")
        return proc

    def start_all(self, services: tuple[str, ...] = SERVICES, *, parallel: bool = True) -> None:
        """Start ``services`` (every one by default), in :data:`SERVICES` order when one at a time;
        they wait mostly on Kafka's group joins, so by default in parallel."""
        chosen = [s for s in SERVICES if s in services]
        if not parallel or len(chosen) < 2:
            for service in chosen:
                self.start(service)
            return
        with ThreadPoolExecutor(len(chosen)) as pool:
            list(pool.map(self.start, chosen))

    def healthy(self, service: str) -> bool:
        """Return whether ``service`` answers its health check."""
        try:
            return httpx.get(f"{self.url(service)}/ready", timeout=3.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, service: str) -> None:
        """Stop one service gracefully."""
        proc = self.processes.pop(service, None)
        if proc is not None:
            proc.stop()

    def stop_all(self) -> None:
        """Stop producers first, then consumers, then the sinks."""
        for service in (*reversed(SERVICES), "sink"):
            self.stop(service)

    def check_alive(self) -> None:
        """Raise if a service has died."""
        for name, proc in self.processes.items():
            if not proc.alive():
                raise InfraError(f"{name} exited:\n{proc.log_tail()}")


def wait_for(predicate: object, timeout: float, interval: float = 0.25) -> bool:
    """Poll ``predicate`` (a callable) until it returns truthy or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        time.sleep(interval)
    return False
