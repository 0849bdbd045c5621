"""Ingest alone, as a real process on the session's Kafka and FerretDB, for integration tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.tokens import hash_secret
from tools.fleet import ServiceFleet
from tools.infra.paths import free_port


@dataclass(frozen=True)
class IngestProcess:
    """A running ingest: its base URL, its database name and its process id."""

    url: str
    database: str
    pid: int


@contextmanager
def ingest_process(infra: Any, log_dir: Path, api_keys: dict[str, str],
                   **settings: str) -> Iterator[IngestProcess]:
    """Start ingest with ``api_keys`` (system → key) and extra settings; yield the process."""
    database = settings.pop("MONGODB_DATABASE", f"it_{uuid.uuid4().hex[:8]}")
    env = {"KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap, "MONGODB_URL": infra.mongodb_url,
           "MONGODB_DATABASE": database, "LOG_FORMAT": "json",
           "INGEST_API_KEYS": ",".join(f"{s}:{hash_secret(k)}" for s, k in api_keys.items()),
           **settings}
    fleet = ServiceFleet(env=env, log_dir=log_dir,
                         ports={"ingest": free_port(), "tracker": free_port()})
    process = fleet.start("ingest")
    try:
        yield IngestProcess(fleet.url("ingest"), database, process.pid)
    finally:
        fleet.stop_all()


@contextmanager
def running_ingest(infra: Any, log_dir: Path, api_keys: dict[str, str],
                   **settings: str) -> Iterator[str]:
    """Start ingest with ``api_keys`` (system → key) and extra settings; yield its base URL."""
    with ingest_process(infra, log_dir, api_keys, **settings) as process:
        yield process.url
