"""The tracker's consumers through a broker: one test body in memory and on real Kafka + FerretDB.

A dispatch is received and assigned to one unit, the unit acknowledges it: the repository holds the
assignment as acknowledged, the timeline has the three events once each, and the sending agency's
edXML status change is published.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from faststream.kafka import TestKafkaBroker

from services.tracker.handlers import TrackerHandlers, register
from services.tracker.repository import TrackerRepository
from shared import topics
from shared.events import (
    AssignmentRole,
    AssignmentStatusChanged,
    DispatchAssigned,
    DispatchReceived,
    ResponseAction,
    UnitAssignment,
    UnitResponded,
)
from shared.kafka import make_broker
from shared.organisation import load_organisation
from tests.service.twice import (
    IN_MEMORY,
    Infra,
    InMemoryTrackerStore,
    collect,
    eventually,
    fresh_database,
    real,
)

SUBJECT = "V/v báo cáo tình hình thương mại quý I"


async def _received_assigned_acknowledged(infra: Infra, repo: Any) -> None:
    settings = infra.settings("tracker")
    broker = make_broker(settings, "tracker")
    calendar = load_organisation(settings.config_path(settings.organisation_file)).work_calendar()
    register(broker, settings, TrackerHandlers(repo, broker, calendar,
                                               settings.tracker_approach_working_days))
    changed: list[AssignmentStatusChanged] = []
    collect(broker, topics.ASSIGNMENT_STATUS_CHANGED, AssignmentStatusChanged, changed)
    await infra.prepare(settings)

    did = str(uuid.uuid4())
    t0 = datetime(2024, 2, 6, 2, tzinfo=UTC)
    received = DispatchReceived(dispatch_id=did, correlation_id=did, source_system="demo",
                                issuer="SỞ CÔNG THƯƠNG", subject=SUBJECT, occurred_at=t0)
    assigned = DispatchAssigned(
        dispatch_id=did, correlation_id=did, subject=SUBJECT, rule_id="trade",
        reason="Trích yếu nói về thương mại", occurred_at=t0 + timedelta(minutes=1),
        assignments=[UnitAssignment(unit_code="QLTM", role=AssignmentRole.LEAD,
                                    due_at=datetime(2024, 2, 16, 10, tzinfo=UTC),
                                    ack_due_at=datetime(2024, 2, 7, 10, tzinfo=UTC))])
    ack = UnitResponded(dispatch_id=did, correlation_id=did, unit_code="QLTM",
                        action=ResponseAction.ACKNOWLEDGE, note="Đã tiếp nhận", responded_by="QLTM",
                        occurred_at=t0 + timedelta(hours=1))

    async def status_is(want: str) -> bool:
        found = await repo.assignments_list(dispatch_id=did)
        return bool(found) and found[0]["status"] == want

    async with TestKafkaBroker(broker, with_real=infra.real) as test_broker:
        await test_broker.publish(received, topic=topics.DISPATCH_RECEIVED, key=did.encode())
        await test_broker.publish(assigned, topic=topics.DISPATCH_ASSIGNED, key=did.encode())
        await eventually(lambda: status_is("received"))
        for _ in range(2):  # a redelivery is applied once
            await test_broker.publish(ack, topic=topics.UNIT_RESPONDED, key=did.encode())
        await eventually(lambda: status_is("acknowledged"))
        await eventually(lambda: any(c.dispatch_id == did for c in changed))

    [assignment] = await repo.assignments_list(dispatch_id=did)
    assert (assignment["unit_code"], assignment["role"], assignment["status"]) == (
        "QLTM", "lead", "acknowledged")
    assert assignment["acknowledged_at"] == ack.occurred_at
    assert assignment["last_response_event_id"] == ack.event_id
    view = await repo.dispatch_view(did)
    assert view is not None and view["dispatch"]["subject"] == SUBJECT
    assert [(t["_id"], t["event_type"]) for t in view["timeline"]] == [
        (received.event_id, "dispatch.received"), (assigned.event_id, "dispatch.assigned"),
        (ack.event_id, "assignment.responded")]
    assert view["timeline"][-1]["status"] == "acknowledged"
    mine = {(c.event_id, c.unit_code, c.status) for c in changed if c.dispatch_id == did}
    assert [(unit, status) for _, unit, status in mine] == [("QLTM", "acknowledged")]  # one event


async def test_tracker_in_memory() -> None:
    await _received_assigned_acknowledged(IN_MEMORY, InMemoryTrackerStore())


@pytest.mark.infra
async def test_tracker_on_real_kafka_and_ferretdb(infra: Any) -> None:
    on = real(infra)
    async with fresh_database(on) as db:
        repo = TrackerRepository(db)
        await repo.create_indexes()
        await _received_assigned_acknowledged(on, repo)
