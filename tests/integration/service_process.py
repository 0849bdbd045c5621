"""Services as real processes on the session's Kafka and FerretDB, with test credentials.

``running_services`` starts the named services (each on a free port, one fresh database) with a
known leadership token, unit tokens and API key, and yields the fleet. Tests that need a service as
an attacker sees it (raw sockets, generated requests) use it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from shared.tokens import hash_secret
from tools.fleet import SERVICES, ServiceFleet
from tools.infra.paths import free_port

API_KEY = "it-key-5f0c2a"
LEADER_TOKEN = "it-leader-9b41d7"
UNITS = ("VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT")


def unit_token(unit: str) -> str:
    """The test token of ``unit``."""
    return f"it-{unit.lower()}-3e8a"


def credentials_env() -> dict[str, str]:
    """Settings that give every service real (non-demo) test credentials."""
    return {
        "INGEST_API_KEYS": f"it:{hash_secret(API_KEY)}",
        "TRACKER_LEADERSHIP_TOKENS": f"director:{hash_secret(LEADER_TOKEN)}",
        "TRACKER_UNIT_TOKENS": ",".join(f"{u}:{hash_secret(unit_token(u))}" for u in UNITS),
        "NOTIFIER_ACCESS_TOKENS": f"director:{hash_secret(LEADER_TOKEN)}",
        "NOTIFIER_WEBHOOK_SECRET": "it-webhook-secret-77c1",
    }


@contextmanager
def running_services(infra: Any, log_dir: Path, services: tuple[str, ...],
                     **settings: str) -> Iterator[ServiceFleet]:
    """Start ``services`` (in the launcher's order) with test credentials and ``settings``."""
    env = {"KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap, "MONGODB_URL": infra.mongodb_url,
           "MONGODB_DATABASE": f"it_{uuid.uuid4().hex[:8]}", "LOG_FORMAT": "json",
           "LOG_LEVEL": "WARNING", "NOTIFIER_SMTP_PORT": str(free_port()),
           **credentials_env(), **settings}
    fleet = ServiceFleet(env=env, log_dir=log_dir, ports={s: free_port() for s in SERVICES})
    try:
        for service in (s for s in SERVICES if s in services):
            fleet.start(service)
        yield fleet
    finally:
        fleet.stop_all()
