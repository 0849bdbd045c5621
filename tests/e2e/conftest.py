"""The four services (and the mail/webhook catchers) as OS processes, on the session's servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.tokens import hash_secret
from tools.fleet import SERVICES, ServiceFleet
from tools.infra.paths import free_port
from tools.infra.stack import InfraPorts, LocalInfra

API_KEY = "e2e-key"
LEADER = {"Authorization": "Bearer e2e-leader"}
UNITS = ("VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT")


def unit_auth(unit: str) -> dict[str, str]:
    """The bearer header of a unit's e2e token."""
    return {"Authorization": f"Bearer e2e-{unit.lower()}"}


class Stack:
    """A running fleet plus helpers to talk to it."""

    def __init__(self, fleet: ServiceFleet, sink_dir: Path) -> None:
        self.fleet, self.sink_dir = fleet, sink_dir

    def url(self, service: str) -> str:
        return self.fleet.url(service)

    def post_dispatch(self, **payload: Any) -> str:
        response = httpx.post(f"{self.url('ingest')}/dispatches", json=payload, timeout=30,
                              headers={"X-API-Key": API_KEY})
        assert response.status_code == 202, response.text
        return str(response.json()["dispatch_id"])

    def view(self, dispatch_id: str) -> dict[str, Any] | None:
        response = httpx.get(f"{self.url('tracker')}/dispatches/{dispatch_id}", headers=LEADER,
                             timeout=10)
        return response.json() if response.status_code == 200 else None

    def respond(self, dispatch_id: str, unit: str, action: str, **extra: Any) -> httpx.Response:
        return httpx.post(f"{self.url('tracker')}/dispatches/{dispatch_id}/units/{unit}/responses",
                          json={"action": action, **extra}, headers=unit_auth(unit), timeout=10)

    def advance(self, seconds: float) -> None:
        httpx.post(f"{self.url('tracker')}/clock/advance", json={"seconds": seconds},
                   timeout=10).raise_for_status()

    def notifications(self, dispatch_id: str) -> list[dict[str, Any]]:
        response = httpx.get(f"{self.url('notifier')}/notifications",
                             params={"dispatch_id": dispatch_id}, headers=LEADER, timeout=10)
        response.raise_for_status()
        return list(response.json())


@pytest.fixture
def service_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """End-to-end tests get their own Kafka and FerretDB: the services' consumer groups are fixed
    names, so on a shared Kafka one test's tracker would pick up another test's events."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URL"):
        yield {"KAFKA_BOOTSTRAP_SERVERS": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
               "MONGODB_URL": os.environ["MONGODB_URL"],
               "MONGODB_DATABASE": f"e2e_{uuid.uuid4().hex[:12]}", "LOG_FORMAT": "json"}
        return
    infra = LocalInfra(tmp_path_factory.mktemp("e2e-infra"), InfraPorts.free())
    infra.start()
    try:
        yield {"KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap, "MONGODB_URL": infra.mongodb_url,
               "MONGODB_DATABASE": "vanthu", "LOG_FORMAT": "json"}
    finally:
        infra.stop()


@pytest.fixture
def start_stack(service_env: dict[str, str], artifacts_dir: Path,
                request: pytest.FixtureRequest) -> Iterator[Callable[..., Stack]]:
    """Start sink + four services with extra settings; everything is stopped afterwards."""
    fleets: list[ServiceFleet] = []

    def start(**extra_env: str) -> Stack:
        smtp, hooks = free_port(), free_port()
        log_dir = artifacts_dir / f"e2e-{request.node.name}-{uuid.uuid4().hex[:6]}"
        env = {**service_env, "TRACKER_CLOCK_CONTROL": "true", "TRACKER_SCAN_INTERVAL_S": "0.3",
               "INGEST_API_KEYS": f"e2e:{hash_secret(API_KEY)}",
               "TRACKER_LEADERSHIP_TOKENS": f"director:{hash_secret('e2e-leader')}",
               "TRACKER_UNIT_TOKENS": ",".join(f"{u}:{hash_secret(f'e2e-{u.lower()}')}"
                                               for u in UNITS),
               "NOTIFIER_SMTP_PORT": str(smtp), "NOTIFIER_FOLD_WINDOW_MINUTES": "0",
               "NOTIFIER_RETRY_BASE_DELAY_S": "0.05", "NOTIFIER_TRACKER_TOKEN": "e2e-leader",
               "NOTIFIER_ACCESS_TOKENS": f"director:{hash_secret('e2e-leader')}",
               "NOTIFIER_WEBHOOK_SECRET": "e2e-webhook-secret",
               **extra_env}
        fleet = ServiceFleet(env=env, log_dir=log_dir, ports={s: free_port() for s in SERVICES})
        fleets.append(fleet)
        fleet.start_sink(log_dir / "sink", smtp, hooks)
        fleet.start_all()
        return Stack(fleet, log_dir / "sink")

    try:
        yield start
    finally:
        for fleet in fleets:
            fleet.stop_all()
