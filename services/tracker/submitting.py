"""Submitting a unit's response: the one path of the HTTP API and of the desk.

The response is checked against the assignment as it stands (the ladder), published as
``UnitResponded`` and remembered as accepted; the tracker's consumer applies it
(:mod:`services.tracker.responding`), so the API, the CLI, the desk and direct producers all take
the same road. ``responded_by`` is the identity behind the request: a unit's token, or the login of
the person signed in at the desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from faststream.kafka import KafkaBroker

from services.tracker.ladder import apply_response
from services.tracker.records import AcceptedResponse
from services.tracker.repository import TrackerRepository
from shared import topics
from shared.assignments import assignment_id
from shared.clock import Clock
from shared.events import AssignmentRole, ResponseAction, UnitResponded


@dataclass(frozen=True)
class Submitted:
    """A response accepted for processing."""

    event_id: str
    action: str
    requested: str
    result_url: str


class NotAccepted(Exception):
    """Why a response is not accepted: an HTTP status, the field at fault (or None), the reason."""

    def __init__(self, status: int, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.field = status, reason, field


@dataclass(frozen=True)
class Answer:
    """What a unit answers (``reply_blob_id``: a stored reply document, see
    :mod:`services.tracker.replies`)."""

    action: ResponseAction
    note: str | None = None
    transfer_to: str | None = None
    reply_blob_id: str | None = None


async def submit_response(repo: TrackerRepository, broker: KafkaBroker, clock: Clock, *,
                          dispatch_id: str, unit_code: str, answer: Answer,
                          responded_by: str) -> Submitted:
    """Check, publish and remember one response, or raise :class:`NotAccepted`."""
    assignment = await repo.assignment(assignment_id(dispatch_id, unit_code))
    if assignment is None:
        raise NotAccepted(403, "your unit has no assignment on this dispatch")
    transition = apply_response(assignment.status, answer.action)
    if transition.new_status is None:
        raise NotAccepted(409, transition.refusal or "refused")
    if answer.action is ResponseAction.TRANSFER and not answer.transfer_to:
        raise NotAccepted(422, "name the unit to transfer to", "transfer_to")
    event = UnitResponded(correlation_id=dispatch_id, dispatch_id=dispatch_id,
                          unit_code=unit_code, occurred_at=clock.now(), responded_by=responded_by,
                          action=answer.action, note=answer.note, transfer_to=answer.transfer_to,
                          reply_blob_id=answer.reply_blob_id,
                          role=AssignmentRole(assignment.role))
    await broker.publish(event, topic=topics.UNIT_RESPONDED, key=dispatch_id.encode())
    requested = transition.new_status.value
    await repo.accept_response(AcceptedResponse(
        event_id=event.event_id, dispatch_id=dispatch_id, unit_code=unit_code,
        action=answer.action.value, requested=requested, accepted_at=event.occurred_at))
    # accepted for processing only: a conflicting response may still be applied first
    return Submitted(event.event_id, answer.action.value, requested,
                     f"/dispatches/{dispatch_id}/units/{unit_code}/responses/{event.event_id}")
