"""Requests for a later deadline, from the API or the desk to the consumer that applies them.

Asking and deciding take the road of responses (:mod:`services.tracker.submitting`): the request
or decision is checked against the stored state (:mod:`services.tracker.extensions` decides),
published (``ExtensionRequested``, ``ExtensionDecided``) and applied when the tracker consumes it,
so the request's store and the assignment keep one writer each. The consumer checks again: what
no longer holds (a second decision that raced the first, an assignment completed meanwhile) goes
to the dead-letter topic and onto the timeline with the reason. When Kafka refuses the event,
nothing was written and the answer is 503: ask again.
"""

from __future__ import annotations

from datetime import datetime

from faststream.kafka import KafkaBroker

from services.tracker import extensions as rules
from services.tracker.extensions import ExtensionRequest, Refusal
from services.tracker.repository import TrackerRepository
from services.tracker.repository.extensions import ExtensionRepository
from shared import topics
from shared.assignments import assignment_id
from shared.clock import Clock
from shared.events import AssignmentRole
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from shared.kafka import TRANSIENT_ERRORS

UNAVAILABLE = Refusal(503, "hệ thống tạm thời không ghi nhận được; vui lòng gửi lại sau ít phút")


class NotAllowed(Exception):
    """A request or decision refused before it is published (see :class:`Refusal`)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


class Extensions:
    """Asking for and deciding on later deadlines (the API's and the desk's one path)."""

    def __init__(self, repo: TrackerRepository, requests: ExtensionRepository,
                 broker: KafkaBroker, clock: Clock, cap: int) -> None:
        self.repo, self.requests, self.broker, self.clock = repo, requests, broker, clock
        self.cap = cap

    async def ask(self, *, dispatch_id: str, unit_code: str, new_due_at: datetime, reason: str,
                  requested_by: str) -> ExtensionRequested:
        """Check and publish a unit's request, or raise :class:`NotAllowed`."""
        own_id = assignment_id(dispatch_id, unit_code)
        assignment = await self.repo.assignment(own_id)
        if assignment is None:
            raise NotAllowed(Refusal(403, "đơn vị của bạn không được giao công văn này"))
        now = self.clock.now()
        refusal = rules.check_request(assignment, new_due_at, now,
                                      await self.requests.so_far(own_id), self.cap)
        if refusal is not None:
            raise NotAllowed(refusal)
        heads = await self.repo.dispatches_by_id([dispatch_id])
        event = ExtensionRequested(
            correlation_id=dispatch_id, dispatch_id=dispatch_id, unit_code=unit_code,
            occurred_at=now, request_id="-", role=AssignmentRole(assignment.role),
            subject=heads.get(dispatch_id, {}).get("subject"), current_due_at=assignment.due_at,
            new_due_at=new_due_at, reason=reason, requested_by=requested_by)
        event = event.model_copy(update={"request_id": event.event_id})
        await self._publish(event, topics.EXTENSION_REQUESTED)
        return event

    async def decide(self, *, request_id: str, approve: bool, note: str | None,
                     decided_by: str) -> ExtensionDecided:
        """Check and publish leadership's decision, or raise :class:`NotAllowed`."""
        request = await self.requests.request(request_id)
        if request is None:
            raise NotAllowed(Refusal(404, f"không có đề nghị gia hạn {request_id}"))
        now = self.clock.now()
        assignment = await self.repo.assignment(
            assignment_id(request.dispatch_id, request.unit_code))
        refusal = rules.check_decision(request.status, assignment, request.new_due_at, approve, now)
        if refusal is not None:
            raise NotAllowed(refusal)
        event = decision_event(request, approve, note, decided_by, now)
        await self._publish(event, topics.EXTENSION_DECIDED)
        return event

    async def _publish(self, event: ExtensionRequested | ExtensionDecided, topic: str) -> None:
        try:
            await self.broker.publish(event, topic=topic, key=event.dispatch_id.encode())
        except TRANSIENT_ERRORS:
            raise NotAllowed(UNAVAILABLE) from None


def decision_event(request: ExtensionRequest, approve: bool, note: str | None, decided_by: str,
                   at: datetime) -> ExtensionDecided:
    """The event of a decision on ``request``."""
    return ExtensionDecided(
        correlation_id=request.dispatch_id, dispatch_id=request.dispatch_id,
        unit_code=request.unit_code, request_id=request.id, approved=approve,
        subject=request.subject, current_due_at=request.current_due_at,
        new_due_at=request.new_due_at, note=note or None, decided_by=decided_by, occurred_at=at)
