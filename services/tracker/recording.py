"""What the tracker writes for each event it consumes. Pure: plans writes (``services.tracker.writes``),
no I/O.

Creations are :class:`~services.tracker.writes.NewDocument` s whose id is derived from the event,
never upserts (see ``services.tracker.writes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from services.tracker.ladder import Status
from services.tracker.records import CheckRecord, TimelineEntry
from services.tracker.signals import schedule_for
from services.tracker.writes import NewDocument, SetFields, WriteBatch
from shared.assignments import assignment_id
from shared.events import (
    AssignmentOverridden,
    AssignmentRole,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    EventMeta,
    NotificationFailed,
    ResponsibilityDisputed,
    UnitAssignment,
)
from shared.workdays import WorkCalendar


def timeline_entry(event: EventMeta, dispatch_id: str | None, **summary: Any) -> TimelineEntry:
    """The timeline entry of ``event`` (its id is the event's), with ``summary`` as its details."""
    return TimelineEntry(event_id=event.event_id, dispatch_id=dispatch_id,
                         event_type=getattr(event, "event_type", type(event).__name__),
                         occurred_at=event.occurred_at, correlation_id=event.correlation_id,
                         details=summary)


def add_received(batch: WriteBatch, event: DispatchReceived) -> None:
    """Record a received dispatch, with its body (the letter's text, read on the desk) and the
    sources of its parsed fields, for the clerk."""
    fields = event.model_dump(mode="json", exclude={
        "event_id", "occurred_at", "schema_version", "event_type"})
    fields["received_at"] = event.occurred_at
    batch.dispatches.append(NewDocument(event.dispatch_id, fields))
    batch.timeline.append(timeline_entry(event, event.dispatch_id, source_system=event.source_system))


def _add_assignment(batch: WriteBatch, dispatch_id: str, a: UnitAssignment, at: datetime,
                    calendar: WorkCalendar, approach_days: int, leads: list[str] | None = None) -> None:
    own_id = assignment_id(dispatch_id, a.unit_code)
    batch.assignments.append(NewDocument(own_id, {
        "dispatch_id": dispatch_id, "unit_code": a.unit_code,
        "role": a.role.value, "task": a.task, "due_at": a.due_at, "ack_due_at": a.ack_due_at,
        "status": Status.RECEIVED.value, "assigned_at": at, "status_changed_at": at,
        **({"lead_units": leads} if leads and a.role is AssignmentRole.COORDINATING else {}),
    }))
    batch.checks.append(CheckRecord(
        id=own_id, dispatch_id=dispatch_id, unit_code=a.unit_code,
        schedule=schedule_for(a.due_at, a.ack_due_at, calendar, approach_days).at))


def add_assigned(batch: WriteBatch, event: DispatchAssigned, calendar: WorkCalendar,
                 approach_days: int = 1) -> None:
    """Record a routing decision: one assignment per unit, created once, with its deadline checks."""
    batch.decisions.append(NewDocument(event.dispatch_id, {
        "rule_id": event.rule_id, "reason": event.reason,
        "subject": event.subject, "broadcast": len(event.assignments) > 1}))
    leads = [a.unit_code for a in event.assignments if a.role is AssignmentRole.LEAD]
    for a in event.assignments:  # a coordinating unit's part is due to the lead unit(s)
        _add_assignment(batch, event.dispatch_id, a, event.occurred_at, calendar, approach_days, leads)
    batch.timeline.append(timeline_entry(
        event, event.dispatch_id, rule_id=event.rule_id, reason=event.reason,
        units=[a.unit_code for a in event.assignments]))


def moved_leads(event: DispatchReassigned, inherited: Sequence[str] = ()) -> list[str]:
    """The lead units a moved coordinating (phối hợp) part reports to: the one leadership's override
    names, or, after a decline or transfer, those the part reported to before (``inherited``)."""
    if event.assignment.role is not AssignmentRole.COORDINATING:
        return []
    last = event.chain[-1] if event.chain else None
    if last and last.action == "override":
        return [last.to_unit]
    return list(inherited)


def reopened(event: DispatchReassigned, calendar: WorkCalendar, approach_days: int,
             own_id: str, round_: int, inherited: Sequence[str] = ()
             ) -> tuple[dict[str, Any], CheckRecord]:
    """(assignment fields, deadline check of the new round) reopening the closed assignment
    ``own_id`` for round ``round_`` (``inherited``: see :func:`moved_leads`)."""
    a = event.assignment
    schedule = schedule_for(a.due_at, a.ack_due_at, calendar, approach_days)
    fields = {"role": a.role.value, "task": a.task, "due_at": a.due_at, "ack_due_at": a.ack_due_at,
              "status": Status.RECEIVED.value, "status_changed_at": event.occurred_at,
              "round": round_, "completed_at": None, "completed_on_time": None,
              "lead_units": moved_leads(event, inherited)}
    check = CheckRecord(id=own_id, dispatch_id=event.dispatch_id, schedule=schedule.at,
                        round=round_, unit_code=a.unit_code)
    return fields, check


def add_reassigned(batch: WriteBatch, event: DispatchReassigned, calendar: WorkCalendar,
                   approach_days: int = 1, inherited: Sequence[str] = ()) -> None:
    """Record a move: the new unit's assignment (the old one was closed by its response);
    ``inherited``: the lead units the passed-on part reported to (see :func:`moved_leads`)."""
    _add_assignment(batch, event.dispatch_id, event.assignment, event.occurred_at, calendar,
                    approach_days, moved_leads(event, inherited))
    batch.timeline.append(timeline_entry(
        event, event.dispatch_id, from_unit=event.from_unit, unit_code=event.assignment.unit_code,
        reason=event.reason))


def failed_notification(event: NotificationFailed, recorded_at: datetime) -> TimelineEntry:
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
    return replace(entry, occurred_at=max(event.occurred_at, recorded_at))


def add_disputed(batch: WriteBatch, event: ResponsibilityDisputed) -> None:
    """Mark the dispatch disputed (its units keep passing it on), for leadership to see."""
    batch.dispatches.append(SetFields(event.dispatch_id, {
        "disputed": True, "disputed_units": event.units, "disputed_at": event.occurred_at,
        "dispute_reason": event.reason}))
    batch.timeline.append(timeline_entry(event, event.dispatch_id, units=event.units,
                                         reason=event.reason))


def add_overridden(batch: WriteBatch, event: AssignmentOverridden) -> None:
    """Leadership decided: the dispute, if any, is settled."""
    batch.dispatches.append(SetFields(event.dispatch_id, {
        "disputed": False, "overridden_by": event.decided_by}))
    batch.timeline.append(timeline_entry(
        event, event.dispatch_id, decided_by=event.decided_by, lead_unit=event.lead_unit,
        reason=event.reason))
