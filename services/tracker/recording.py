"""What the tracker writes for each event it consumes. Pure: builds write operations, no I/O.

Creations are plain inserts whose ``_id`` is derived from the event, never upserts: a duplicate
``_id`` from a redelivered event is refused, which is exactly the idempotency wanted, and it costs
one write where an upsert is a read and a write in FerretDB v1 (not atomic across connections).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import InsertOne

from services.tracker.ladder import Status
from services.tracker.repository import WriteBatch
from services.tracker.signals import schedule_for
from shared.assignments import assignment_id
from shared.events import (
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    EventMeta,
    NotificationFailed,
    UnitAssignment,
)
from shared.kafka import key_hash
from shared.workdays import WorkCalendar


def timeline_entry(event: EventMeta, dispatch_id: str | None, **summary: Any) -> dict[str, Any]:
    """A timeline document for ``event`` (``_id`` = its event id)."""
    return {"_id": event.event_id, "dispatch_id": dispatch_id,
            "event_type": getattr(event, "event_type", type(event).__name__),
            "occurred_at": event.occurred_at, "correlation_id": event.correlation_id, **summary}


def add_received(batch: WriteBatch, event: DispatchReceived) -> None:
    """Record a received dispatch (its body is not kept here; sources are, for the clerk)."""
    fields = event.model_dump(mode="json", exclude={
        "event_id", "occurred_at", "schema_version", "event_type", "body"})
    fields["received_at"] = event.occurred_at
    batch.dispatches.append(InsertOne({"_id": event.dispatch_id, **fields}))
    batch.timeline.append(InsertOne(timeline_entry(event, event.dispatch_id,
                                                   source_system=event.source_system)))


def _add_assignment(batch: WriteBatch, dispatch_id: str, a: UnitAssignment, at: datetime,
                    calendar: WorkCalendar, approach_days: int) -> None:
    own_id = assignment_id(dispatch_id, a.unit_code)
    batch.assignments.append(InsertOne({
        "_id": own_id, "dispatch_id": dispatch_id, "unit_code": a.unit_code,
        "role": a.role.value, "task": a.task, "due_at": a.due_at, "ack_due_at": a.ack_due_at,
        "status": Status.RECEIVED.value, "assigned_at": at, "status_changed_at": at,
    }))
    check = {"_id": own_id, "dispatch_id": dispatch_id, "unit_code": a.unit_code,
             "key_hash": key_hash(dispatch_id),
             "schedule": schedule_for(a.due_at, a.ack_due_at, calendar, approach_days).at}
    batch.checks.append(InsertOne(check))
    batch.watch.append(check)


def add_assigned(batch: WriteBatch, event: DispatchAssigned, calendar: WorkCalendar,
                 approach_days: int = 1) -> None:
    """Record a routing decision: one assignment per unit, created once, with its deadline checks."""
    batch.decisions.append(InsertOne({
        "_id": event.dispatch_id, "rule_id": event.rule_id, "reason": event.reason,
        "subject": event.subject, "broadcast": len(event.assignments) > 1}))
    for a in event.assignments:
        _add_assignment(batch, event.dispatch_id, a, event.occurred_at, calendar, approach_days)
    batch.timeline.append(InsertOne(timeline_entry(
        event, event.dispatch_id, rule_id=event.rule_id, reason=event.reason,
        units=[a.unit_code for a in event.assignments])))


def reopened(event: DispatchReassigned, calendar: WorkCalendar, approach_days: int,
             round_: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(assignment fields, deadline check fields) reopening a closed assignment for a new round."""
    a = event.assignment
    schedule = schedule_for(a.due_at, a.ack_due_at, calendar, approach_days)
    fields = {"role": a.role.value, "task": a.task, "due_at": a.due_at, "ack_due_at": a.ack_due_at,
              "status": Status.RECEIVED.value, "status_changed_at": event.occurred_at,
              "round": round_, "completed_at": None, "completed_on_time": None}
    check = {"schedule": schedule.at, "round": round_}
    return fields, check


def add_reassigned(batch: WriteBatch, event: DispatchReassigned, calendar: WorkCalendar,
                   approach_days: int = 1) -> None:
    """Record a move: the new unit's assignment (the old one was closed by its response)."""
    _add_assignment(batch, event.dispatch_id, event.assignment, event.occurred_at, calendar,
                    approach_days)
    batch.timeline.append(InsertOne(timeline_entry(
        event, event.dispatch_id, from_unit=event.from_unit, unit_code=event.assignment.unit_code,
        reason=event.reason)))


def failed_notification(event: NotificationFailed, recorded_at: datetime) -> dict[str, Any]:
    """The timeline entry of a notification the notifier gave up on (``dispatch_id`` None for a
    digest, which concerns no dispatch).

    It stands on the timeline at the later of the notifier's time and the tracker's
    (``recorded_at``): the same instant when both run on real time, and after the signal that caused
    it when only the tracker's clock is moved (tests, the demo). The notifier's own time is kept as
    ``reported_at``."""
    entry = timeline_entry(event, event.dispatch_id, unit_code=event.unit_code, kind=event.kind,
                           level=event.level, recipient_id=event.recipient_id,
                           channel=event.channel, step=event.step, reason=event.reason,
                           attempts=event.attempts, keys=event.keys[:20],
                           reported_at=event.occurred_at)
    entry["occurred_at"] = max(event.occurred_at, recorded_at)
    return entry
