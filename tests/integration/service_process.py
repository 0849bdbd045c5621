"""Services as real processes on the session's Kafka and FerretDB, with test credentials.

``running_services`` starts the named services (each on a free port, one fresh database) with a
known leadership token, unit tokens and API key, and yields the fleet. Tests that need a service as
an attacker sees it (raw sockets, generated requests) use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tools.fleet import ServiceFleet
from tools.infra.paths import free_port
from tools.stack_harness import UNITS, Credentials, Endpoints, Stack, fresh_database

API_KEY = "it-key-5f0c2a"
LEADER_TOKEN = "it-leader-9b41d7"


def unit_token(unit: str) -> str:
    """The test token of ``unit``."""
    return f"it-{unit.lower()}-3e8a"


CREDENTIALS = Credentials(api_keys={"it": API_KEY}, leader_token=LEADER_TOKEN,
                          unit_tokens={u: unit_token(u) for u in UNITS},
                          webhook_secret="it-webhook-secret-77c1")


def credentials_env() -> dict[str, str]:
    """Settings that give every service real (non-demo) test credentials."""
    return CREDENTIALS.env()


@contextmanager
def running_services(infra: Any, log_dir: Path, services: tuple[str, ...],
                     **settings: str) -> Iterator[ServiceFleet]:
    """Start ``services`` (in the launcher's order) with test credentials and ``settings``."""
    with Stack(log_dir, endpoints=Endpoints(infra.kafka_bootstrap, infra.mongodb_url),
               services=services, credentials=CREDENTIALS, database=fresh_database("it"),
               log_dir=log_dir, parallel=False,
               env={"LOG_LEVEL": "WARNING", "NOTIFIER_SMTP_PORT": str(free_port()), **settings}
               ) as stack:
        yield stack.fleet
