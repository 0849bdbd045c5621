"""The four services (and the mail/webhook catchers) as OS processes, on the session's servers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tools import stack_harness
from tools.stack_harness import QUICK_NOTIFIER, UNITS, Credentials, Endpoints, Sink, stack_env

API_KEY = "e2e-key"
LEADER = {"Authorization": "Bearer e2e-leader"}
CREDENTIALS = Credentials(api_keys={"e2e": API_KEY}, leader_token="e2e-leader",
                          unit_tokens={u: f"e2e-{u.lower()}" for u in UNITS},
                          webhook_secret="e2e-webhook-secret")


def unit_auth(unit: str) -> dict[str, str]:
    """The bearer header of a unit's e2e token."""
    return CREDENTIALS.unit_auth(unit)


class Stack(stack_harness.Stack):
    """A running stack plus helpers to talk to it with its credentials."""

    def post_dispatch(self, **payload: Any) -> str:
        response = httpx.post(f"{self.url('ingest')}/dispatches", json=payload, timeout=30,
                              headers={"X-API-Key": self.credentials.api_key})
        assert response.status_code == 202, response.text
        return str(response.json()["dispatch_id"])

    def view(self, dispatch_id: str) -> dict[str, Any] | None:
        response = httpx.get(f"{self.url('tracker')}/dispatches/{dispatch_id}",
                             headers=self.credentials.leader_auth, timeout=10)
        return response.json() if response.status_code == 200 else None

    def respond(self, dispatch_id: str, unit: str, action: str, **extra: Any) -> httpx.Response:
        return httpx.post(f"{self.url('tracker')}/dispatches/{dispatch_id}/units/{unit}/responses",
                          json={"action": action, **extra},
                          headers=self.credentials.unit_auth(unit), timeout=10)

    def advance(self, seconds: float) -> None:
        httpx.post(f"{self.url('tracker')}/clock/advance", json={"seconds": seconds},
                   timeout=10).raise_for_status()

    def notifications(self, dispatch_id: str) -> list[dict[str, Any]]:
        response = httpx.get(f"{self.url('notifier')}/notifications",
                             params={"dispatch_id": dispatch_id},
                             headers=self.credentials.leader_auth, timeout=10)
        response.raise_for_status()
        return list(response.json())


@pytest.fixture
def service_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """End-to-end tests get their own Kafka and FerretDB: the services' consumer groups are fixed
    names, so on a shared Kafka one test's tracker would pick up another test's events."""
    given = Endpoints.from_env()
    if given is not None:
        yield stack_env(given, database=stack_harness.fresh_database("e2e"))
        return
    with stack_harness.Stack(tmp_path_factory.mktemp("e2e-infra"), services=()) as infra:
        yield stack_env(infra.endpoints, database="vanthu")


@pytest.fixture
def start_stack(service_env: dict[str, str], artifacts_dir: Path,
                request: pytest.FixtureRequest) -> Iterator[Callable[..., Stack]]:
    """Start sink + four services with extra settings; everything is stopped afterwards."""
    stacks: list[Stack] = []

    def start(**extra_env: str) -> Stack:
        log_dir = artifacts_dir / f"e2e-{request.node.name}-{uuid.uuid4().hex[:6]}"
        stacks.append(Stack(
            log_dir, endpoints=Endpoints.from_env(service_env), credentials=CREDENTIALS,
            database=service_env["MONGODB_DATABASE"], log_dir=log_dir, sink=Sink(log_dir / "sink"),
            env={**service_env, "TRACKER_CLOCK_CONTROL": "true", "TRACKER_SCAN_INTERVAL_S": "0.3",
                 **QUICK_NOTIFIER, "NOTIFIER_TRACKER_TOKEN": str(CREDENTIALS.leader_token),
                 **extra_env}))
        return stacks[-1].start()

    try:
        yield start
    finally:
        for stack in stacks:
            stack.stop()
