"""What the tracker plans to write for each event: typed values, one list per collection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.tracker import recording
from services.tracker.writes import NewDocument, SetFields, WriteBatch
from shared.events import (
    AssignmentRole,
    DispatchAssigned,
    DispatchReassigned,
    NotificationFailed,
    ReassignmentHop,
    ResponsibilityDisputed,
    UnitAssignment,
)
from shared.workdays import WorkCalendar

DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)
AT = datetime(2024, 2, 6, 10, tzinfo=UTC)
HOP = ReassignmentHop(from_unit="QLTM", to_unit="VP", action="decline", at=AT)


def _assigned(*units: str) -> DispatchAssigned:
    return DispatchAssigned(
        dispatch_id="d1", correlation_id="d1", subject="V/v tổng kết", rule_id="r1", reason="test",
        occurred_at=AT, assignments=[UnitAssignment(unit_code=u, role=AssignmentRole.LEAD, due_at=DUE)
                                     for u in units])


def test_a_routing_decision_plans_one_creation_per_unit_with_its_check_and_one_entry() -> None:
    batch = WriteBatch()
    recording.add_assigned(batch, _assigned("VP", "QLTM"), WorkCalendar())
    assert batch.decisions == [NewDocument("d1", {"rule_id": "r1", "reason": "test",
                                                  "subject": "V/v tổng kết", "broadcast": True})]
    assert [(w.id, type(w)) for w in batch.assignments] == [("d1:VP", NewDocument),
                                                            ("d1:QLTM", NewDocument)]
    vp = batch.assignments[0].fields
    assert (vp["status"], vp["assigned_at"], vp["due_at"]) == ("received", AT, DUE)
    assert [c.id for c in batch.checks] == ["d1:VP", "d1:QLTM"] == [c.id for c in batch.watch]
    assert batch.checks[0].schedule["overdue:1"] == DUE and batch.checks[0].round == 0
    [entry] = batch.timeline
    assert (entry.dispatch_id, entry.event_type, entry.details["units"]) == (
        "d1", "dispatch.assigned", ["VP", "QLTM"])


def test_a_dispute_plans_a_field_update_not_a_creation() -> None:
    event = ResponsibilityDisputed(dispatch_id="d1", correlation_id="d1", units=["VP", "QLTM"],
                                   reason="đùn đẩy", occurred_at=AT, chain=[HOP])
    batch = WriteBatch()
    recording.add_disputed(batch, event)
    assert batch.dispatches == [SetFields("d1", {"disputed": True, "disputed_units": ["VP", "QLTM"],
                                                 "disputed_at": AT, "dispute_reason": "đùn đẩy"})]
    assert batch.timeline[0].details == {"units": ["VP", "QLTM"], "reason": "đùn đẩy"}


def test_a_reopened_assignment_gets_a_new_round_and_schedule() -> None:
    event = DispatchReassigned(
        dispatch_id="d1", correlation_id="d1", from_unit="QLTM", reason="triage", occurred_at=AT,
        assignment=UnitAssignment(unit_code="VP", role=AssignmentRole.LEAD, due_at=DUE),
        chain=[HOP])
    fields, check = recording.reopened(event, WorkCalendar(), 1, "d1:VP", 2)
    assert (fields["round"], fields["status"], fields["completed_at"]) == (2, "received", None)
    assert (check.id, check.round, check.round_id) == ("d1:VP", 2, "d1:VP:r2")
    assert check.schedule["overdue:1"] == DUE


def test_a_failed_notification_stands_at_the_later_of_the_two_clocks() -> None:
    event = NotificationFailed(
        dispatch_id="d1", correlation_id="d1", unit_code="VP", kind="overdue", level=1,
        recipient_id="r1", channel="email", step="render", reason="không soạn được thư nhắc",
        attempts=3, keys=["k"], occurred_at=AT)
    later = recording.failed_notification(event, AT + timedelta(hours=1))
    assert later.occurred_at == AT + timedelta(hours=1) and later.details["reported_at"] == AT
    assert recording.failed_notification(event, AT - timedelta(hours=1)).occurred_at == AT


def test_a_batch_of_creations_needs_no_order_and_one_with_a_change_does() -> None:
    batch = WriteBatch()
    recording.add_assigned(batch, _assigned("VP", "QLTM"), WorkCalendar())
    assert batch.creations_only
    recording.add_disputed(batch, ResponsibilityDisputed(
        dispatch_id="d1", correlation_id="d1", units=["VP", "QLTM"], reason="đùn đẩy",
        chain=[HOP]))
    assert not batch.creations_only
