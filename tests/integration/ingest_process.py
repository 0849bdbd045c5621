"""Ingest alone, as a real process on the session's Kafka and FerretDB, for integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.stack_harness import Credentials, Endpoints, Stack, fresh_database


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
    database = settings.pop("MONGODB_DATABASE", fresh_database("it"))
    with Stack(log_dir, endpoints=Endpoints(infra.kafka_bootstrap, infra.mongodb_url),
               services=("ingest",), credentials=Credentials(api_keys=dict(api_keys)),
               database=database, log_dir=log_dir, env=settings) as stack:
        yield IngestProcess(stack.url("ingest"), database, stack.fleet.processes["ingest"].pid)


@contextmanager
def running_ingest(infra: Any, log_dir: Path, api_keys: dict[str, str],
                   **settings: str) -> Iterator[str]:
    """Start ingest with ``api_keys`` (system → key) and extra settings; yield its base URL."""
    with ingest_process(infra, log_dir, api_keys, **settings) as process:
        yield process.url
