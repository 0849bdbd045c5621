"""One dispatch flows through the four services, each a separate OS process, on real Kafka/FerretDB."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from shared.infra.paths import free_port
from shared.services import SERVICES, ServiceFleet, wait_for
from shared.tokens import hash_secret

pytestmark = pytest.mark.infra


@pytest.fixture
def fleet(service_env: dict[str, str], artifacts_dir: Path) -> Any:
    env = {**service_env, "TRACKER_CLOCK_CONTROL": "true", "TRACKER_SCAN_INTERVAL_S": "0.3",
           "INGEST_API_KEYS": f"e2e:{hash_secret('e2e-key')}"}
    fleet = ServiceFleet(env=env, log_dir=artifacts_dir / "e2e-pipeline",
                         ports={s: free_port() for s in SERVICES})
    try:
        fleet.start_all()
        yield fleet
    finally:
        fleet.stop_all()


def _get_json(url: str, **params: str) -> Any:
    response = httpx.get(url, params=params, timeout=5)
    return response.json() if response.status_code == 200 else None


def test_dispatch_is_tracked_then_escalated_after_the_clock_passes_its_deadline(
    fleet: ServiceFleet, service_env: dict[str, str]
) -> None:
    due_at = datetime.now(UTC) + timedelta(days=3)
    response = httpx.post(f"{fleet.url('ingest')}/dispatches", json={
        "subject": "V/v tổ chức tổng kết công tác cải cách hành chính năm 2023",
        "issuer": "SỞ CÔNG THƯƠNG", "notation": "SCT-VP",
        "recipients": ["Các phòng, đơn vị thuộc Sở"], "due_at": due_at.isoformat(),
    }, headers={"X-API-Key": "e2e-key"}, timeout=20)
    assert response.status_code == 202, response.text
    dispatch_id = response.json()["dispatch_id"]
    view_url = f"{fleet.url('tracker')}/dispatches/{dispatch_id}"
    assert response.json()["status_url"] == view_url

    started = time.monotonic()
    assert wait_for(lambda: (_get_json(view_url) or {}).get("assignments"), timeout=30), \
        "the tracker never stored the dispatch with its assignment"
    view = _get_json(view_url)
    assert view["dispatch"]["subject"].startswith("V/v tổ chức tổng kết")
    [assignment] = view["assignments"]
    assert assignment["unit_code"] == "VP" and assignment["status"] == "received"
    stored_due = datetime.fromisoformat(assignment["due_at"])
    assert abs(stored_due - due_at) < timedelta(milliseconds=1)  # BSON keeps milliseconds
    assert {e["event_type"] for e in view["timeline"]} == {"dispatch.received", "dispatch.assigned"}

    notifications_url = f"{fleet.url('notifier')}/notifications"
    time.sleep(1.0)  # several scans pass before the deadline: nothing may fire early
    assert _get_json(notifications_url, dispatch_id=dispatch_id) == []

    advance = {"seconds": 3 * 86400 + 60}
    httpx.post(f"{fleet.url('tracker')}/clock/advance", json=advance).raise_for_status()
    assert wait_for(lambda: _get_json(notifications_url, dispatch_id=dispatch_id), timeout=30), \
        "no notification after the injected clock passed the deadline"
    [note] = _get_json(notifications_url, dispatch_id=dispatch_id)
    assert note["recipient"] == "VP" and note["level"] == 1 and note["channel"] == "log"
    assert time.monotonic() - started < 60

    with MongoClient(service_env["MONGODB_URL"], tz_aware=True) as client:
        db = client[service_env["MONGODB_DATABASE"]]
        assert db.assignments.count_documents({"dispatch_id": dispatch_id}) == 1
        assert db.assignments.find_one({"dispatch_id": dispatch_id})["overdue_level"] == 1
        assert db.notifications.count_documents({"dispatch_id": dispatch_id}) == 1
