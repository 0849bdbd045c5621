"""One dispatch flows through the four services, each a separate OS process, on real Kafka/FerretDB."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from tests.e2e.conftest import Stack
from tools.fleet import wait_for
from tools.sinks import read_mail

pytestmark = pytest.mark.infra


def test_dispatch_is_tracked_then_escalated_after_the_clock_passes_its_deadline(
    start_stack: Callable[..., Stack], service_env: dict[str, str]
) -> None:
    stack = start_stack()
    due_at = datetime.now(UTC) + timedelta(days=3)
    dispatch_id = stack.post_dispatch(subject="V/v đề nghị cung cấp thông tin thống kê",
                                      issuer="CỤC THỐNG KÊ TỈNH", due_at=due_at.isoformat())
    started = time.monotonic()
    assert wait_for(lambda: (stack.view(dispatch_id) or {}).get("assignments"), timeout=30), \
        "the tracker never stored the dispatch with its assignment"
    view = stack.view(dispatch_id)
    assert view is not None
    [assignment] = view["assignments"]
    assert assignment["unit_code"] == "VP" and assignment["status"] == "received"  # triage
    stored_due = datetime.fromisoformat(assignment["due_at"])
    assert abs(stored_due - due_at) < timedelta(seconds=1)
    assert {e["event_type"] for e in view["timeline"]} == {"dispatch.received", "dispatch.assigned"}
    assert stack.respond(dispatch_id, "VP", "acknowledge").status_code == 202

    time.sleep(1.0)  # several scans pass before the deadline: nothing overdue may fire early
    assert not [n for n in stack.notifications(dispatch_id) if n["kind"].startswith("overdue")]

    stack.advance(3 * 86400 + 60)
    assert wait_for(lambda: any(n["kind"] == "overdue-L1" and n["status"] == "delivered"
                                for n in stack.notifications(dispatch_id)), timeout=30), \
        "no delivered level-1 notification after the injected clock passed the deadline"
    assert time.monotonic() - started < 60
    [head] = [n for n in stack.notifications(dispatch_id) if n["kind"] == "overdue-L1"]
    assert head["recipient"] == "head:VP" and head["channel"] == "email"
    mails = read_mail(stack.sink_dir / "mail")
    assert any("vp.hoa@sct.example.gov.vn" in m["X-Envelope-To"] and "mức 1" in m["Subject"]
               for m in mails)

    with MongoClient(service_env["MONGODB_URL"], tz_aware=True) as client:
        db = client[service_env["MONGODB_DATABASE"]]
        assert db.assignments.count_documents({"dispatch_id": dispatch_id}) == 1
        assert db.assignments.find_one({"dispatch_id": dispatch_id})["status"] == "acknowledged"
