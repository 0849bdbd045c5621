"""The tracker's consumers of requests for a later deadline and of leadership's decisions.

A request is stored (pending) and put on the timeline. An approval moves the assignment's deadline
and starts a new round of its deadline check (``extensions.extended``): the new round's page and
schedule are written, the old round is closed (a replica taking over skips it), and the new
round's first signal goes to the timers; the old round's timers, when they pop, read the new
schedule and find nothing due. A refusal changes nothing but the request. The timeline entry is
written last, marking the event applied; a redelivered approval finds its own id on the assignment
(``last_extension_id``) and repeats only the idempotent writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.tracker import extensions as rules
from services.tracker.extensions import ExtensionRequest, RequestStatus
from services.tracker.recording import timeline_entry
from services.tracker.records import CheckRecord
from services.tracker.repository import TrackerRepository
from services.tracker.repository.extensions import ExtensionRepository
from services.tracker.settings import TrackerSettings
from shared import topics
from shared.assignments import assignment_id
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from shared.kafka import dead_letter, declare_publications, publish_dead_letter, subscribe_table
from shared.logging import get_logger
from shared.workdays import WorkCalendar

log = get_logger(__name__)
Event = ExtensionRequested | ExtensionDecided


class ExtensionHandlers:
    """Apply requests and decisions (the ``watch`` callback feeds new rounds to the timers)."""

    def __init__(self, repo: TrackerRepository, requests: ExtensionRepository,
                 broker: KafkaBroker, calendar: WorkCalendar, approach_days: int, cap: int,
                 watch: Callable[[CheckRecord], None] | None = None) -> None:
        self.repo, self.requests, self.broker, self.calendar = repo, requests, broker, calendar
        self.approach_days, self.cap = approach_days, cap
        self._watch = watch or (lambda check: None)

    async def _fresh(self, events: list[Any]) -> list[Any]:
        seen = await self.repo.applied_event_ids([e.event_id for e in events])
        return [e for e in events if e.event_id not in seen]

    async def on_requested(self, events: list[ExtensionRequested]) -> None:
        """Store each request as pending, unless it no longer holds (then refuse it)."""
        for event in await self._fresh(events):
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await self._requested(event)

    async def _requested(self, event: ExtensionRequested) -> None:
        own_id = assignment_id(event.dispatch_id, event.unit_code)
        assignment, so_far = await self.repo.assignment(own_id), await self.requests.so_far(own_id)
        summary = {"unit_code": event.unit_code, "request_id": event.event_id,
                   "current_due_at": event.current_due_at, "new_due_at": event.new_due_at,
                   "reason": event.reason, "requested_by": event.requested_by}
        if so_far.pending != event.event_id:  # else: stored before a crash, finish it
            refusal = (rules.Refusal(403, f"không có nhiệm vụ {own_id}") if assignment is None
                       else rules.check_request(assignment, event.new_due_at, event.occurred_at,
                                                so_far, self.cap))
            if refusal is not None:
                await self._refuse(event, topics.EXTENSION_REQUESTED, refusal.reason, summary)
                return
            await self.requests.add(ExtensionRequest(
                id=event.event_id, dispatch_id=event.dispatch_id, unit_code=event.unit_code,
                current_due_at=event.current_due_at, new_due_at=event.new_due_at,
                reason=event.reason, requested_by=event.requested_by,
                requested_at=event.occurred_at, subject=event.subject, role=event.role.value))
        await self.repo.record(timeline_entry(event, event.dispatch_id, **summary))
        log.info("extension requested", unit_code=event.unit_code)

    async def on_decided(self, events: list[ExtensionDecided]) -> None:
        """Apply each decision: an approval moves the deadline and re-arms its signals."""
        for event in await self._fresh(events):
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await self._decided(event)

    async def _decided(self, event: ExtensionDecided) -> None:
        summary = {"unit_code": event.unit_code, "request_id": event.request_id,
                   "approved": event.approved, "note": event.note, "decided_by": event.decided_by,
                   "current_due_at": event.current_due_at, "new_due_at": event.new_due_at}
        request = await self.requests.request(event.request_id)
        if request is None:
            await self._refuse(event, topics.EXTENSION_DECIDED,
                               f"không có đề nghị gia hạn {event.request_id}", summary)
            return
        if request.decision_id != event.event_id:  # else: decided before a crash, finish it
            own_id = assignment_id(event.dispatch_id, event.unit_code)
            assignment = await self.repo.assignment(own_id)
            refusal = rules.check_decision(request.status, assignment, request.new_due_at,
                                           event.approved, event.occurred_at)
            if refusal is not None:
                if request.status is RequestStatus.PENDING:  # the assignment ended meanwhile
                    await self.requests.decide(request.id, {
                        "status": RequestStatus.LAPSED.value, "decided_at": event.occurred_at,
                        "decision_id": event.event_id, "note": refusal.reason})
                await self._refuse(event, topics.EXTENSION_DECIDED, refusal.reason, summary)
                return
            if event.approved and assignment is not None:
                await self._move_deadline(event, request, assignment)
            status = RequestStatus.APPROVED if event.approved else RequestStatus.REFUSED
            await self.requests.decide(request.id, {
                "status": status.value, "decided_at": event.occurred_at,
                "decided_by": event.decided_by, "note": event.note, "decision_id": event.event_id})
        await self.repo.record(timeline_entry(event, event.dispatch_id, **summary))
        log.info("extension decided", unit_code=event.unit_code, approved=event.approved)

    async def _move_deadline(self, event: ExtensionDecided, request: ExtensionRequest,
                             assignment: Any) -> None:
        so_far = await self.requests.so_far(assignment.id)
        if so_far.last_extension_id == request.id:  # moved before a crash: same round again
            check = rules.round_check(assignment, assignment.due_at, assignment.round,
                                      event.occurred_at, self.calendar, self.approach_days)
        else:
            fields, check = rules.extended(assignment, request.new_due_at, request.id,
                                           event.occurred_at, self.calendar, self.approach_days,
                                           so_far)
            await self.repo.set_assignment(assignment.id, fields)
        await self.repo.reschedule(check)
        await self.repo.close_check(assignment.id, check.round - 1)
        self._watch(check)
        log.info("deadline extended", unit_code=event.unit_code, round=check.round,
                 due_at=request.new_due_at.isoformat())

    async def _refuse(self, event: Event, topic: str, reason: str, summary: dict[str, Any]) -> None:
        await publish_dead_letter(self.broker, dead_letter(
            "tracker", topic, reason, event.dispatch_id, event.model_dump_json()))
        await self.repo.record(timeline_entry(event, event.dispatch_id, **summary, refused=reason))
        log.warning("extension event refused", reason=reason)


def register_extensions(broker: KafkaBroker, settings: TrackerSettings,
                        handlers: ExtensionHandlers) -> dict[str, Any]:
    """Declare and subscribe the extension events (the tracker's consumer group)."""
    declare_publications(broker, "tracker", {topics.EXTENSION_REQUESTED: ExtensionRequested,
                                             topics.EXTENSION_DECIDED: ExtensionDecided})
    return subscribe_table(broker, service="tracker", group_id="vanthu-tracker",
                           max_attempts=settings.handler_max_attempts, table={
        topics.EXTENSION_REQUESTED: (ExtensionRequested, handlers.on_requested),
        topics.EXTENSION_DECIDED: (ExtensionDecided, handlers.on_decided),
    })
