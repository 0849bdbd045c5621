"""Applying one unit's response: the ladder decides, then every effect follows, each idempotent.

The effects of an applied response are, in order: the assignment's new status (with the id of the
response that set it), the closure of its deadline check, the ``AssignmentStatusChanged`` event for
the sending agency (edXML status message), and last the timeline entry, which marks the response as
applied (``TrackerHandlers._fresh`` skips events the timeline holds). A crash at any point leaves the
timeline entry unwritten, so the response is delivered again; the redelivery finds its own id on the
assignment and repeats the effects after the update: the event id of the status change is derived
from the response's, so a consumer that got it the first time drops the copy.

A response the ladder refuses goes to the dead-letter topic and onto the timeline with the reason,
which is what the unit reads at ``GET …/responses/{event_id}``.
"""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker

from services.tracker import recording
from services.tracker.ladder import CLOSED, EDXML_CODE, Status, apply_response
from services.tracker.records import AssignmentRecord
from services.tracker.repository import TrackerRepository
from shared import topics
from shared.assignments import assignment_id
from shared.events import AssignmentStatusChanged, UnitResponded, derived_event_id
from shared.kafka import dead_letter, publish_dead_letter
from shared.logging import get_logger

log = get_logger(__name__)


def status_changed(event: UnitResponded, status: Status) -> AssignmentStatusChanged | None:
    """The edXML status event of a response that moved its assignment to ``status`` (None when the
    status has no edXML code); its id is derived from the response's, the same on every retry."""
    code = EDXML_CODE.get(status)
    if code is None:
        return None
    return AssignmentStatusChanged(
        event_id=derived_event_id("status", event.event_id), occurred_at=event.occurred_at,
        correlation_id=event.correlation_id, dispatch_id=event.dispatch_id,
        unit_code=event.unit_code, status=status.value, edxml_code=code, note=event.note)


def new_fields(event: UnitResponded, status: Status, assignment: AssignmentRecord) -> dict[str, Any]:
    """The assignment fields an applied response sets."""
    fields: dict[str, Any] = {"status": status.value, "status_changed_at": event.occurred_at,
                              "last_response_event_id": event.event_id,
                              "last_response_status": status.value}
    if status is Status.ACKNOWLEDGED:
        fields["acknowledged_at"] = event.occurred_at
    if status is Status.COMPLETED:
        fields["completed_at"] = event.occurred_at
        fields["completed_on_time"] = event.occurred_at <= assignment.due_at
        fields["reply_note"] = event.note
    return fields


async def apply_unit_response(repo: TrackerRepository, broker: KafkaBroker,
                              event: UnitResponded) -> None:
    """Apply ``event`` to its assignment, or refuse it with the reason (see the module docstring)."""
    own_id = assignment_id(event.dispatch_id, event.unit_code)
    assignment = await repo.assignment(own_id)
    summary: dict[str, object] = {"unit_code": event.unit_code, "action": event.action.value,
                                  "note": event.note, "transfer_to": event.transfer_to,
                                  "responded_by": event.responded_by,
                                  "reply_blob_id": event.reply_blob_id}
    if assignment is None:
        await _refuse(repo, broker, event, f"no assignment {own_id}", summary)
        return
    if assignment.last_response_event_id == event.event_id:  # applied, then crashed
        status = assignment.last_response_status or assignment.status
        log.info("finishing a response applied before a crash", status=status.value)
    else:
        transition = apply_response(assignment.status, event.action)
        if transition.new_status is None:
            await _refuse(repo, broker, event, transition.refusal or "refused", summary)
            return
        status = transition.new_status
        await repo.set_assignment(own_id, new_fields(event, status, assignment))
    if status in CLOSED:
        await repo.close_check(own_id, assignment.round)
    changed = status_changed(event, status)
    if changed is not None:  # the sending agency hears of it (edXML status message, via ingest)
        await broker.publish(changed, topic=topics.ASSIGNMENT_STATUS_CHANGED,
                             key=event.dispatch_id.encode())
    await repo.record(recording.timeline_entry(event, event.dispatch_id, **summary,
                                               status=status.value))
    log.info("response applied", unit_code=event.unit_code, status=status.value)


async def _refuse(repo: TrackerRepository, broker: KafkaBroker, event: UnitResponded, reason: str,
                  summary: dict[str, object]) -> None:
    await publish_dead_letter(broker, dead_letter(
        "tracker", topics.UNIT_RESPONDED, reason, event.dispatch_id, event.model_dump_json()))
    await repo.record(recording.timeline_entry(event, event.dispatch_id, **summary, refused=reason))
    log.warning("response refused", unit_code=event.unit_code, reason=reason)
