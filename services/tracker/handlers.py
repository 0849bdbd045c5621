"""Tracker consumers: record dispatches, assignments, unit responses and moves between units.

Every event is applied once. The hot path (``dispatch.received``, ``dispatch.assigned``) only
creates documents: a batch is decided in pure code (``services.tracker.recording``) and written with
one unordered insert per collection and no read first, a redelivered event's documents being refused
as duplicates (``services.tracker.writes``). The other consumers change existing documents, so
they first skip events whose id the timeline already holds; a response is checked against the
status ladder (``services.tracker.responding``). A response the ladder refuses goes to
the dead-letter topic with the reason and stays visible on the timeline; so does a notification
the notifier gave up on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.tracker import recording
from services.tracker.ladder import Status
from services.tracker.records import AssignmentRecord, CheckRecord
from services.tracker.repository import TrackerRepository
from services.tracker.responding import apply_unit_response
from services.tracker.settings import TrackerSettings
from services.tracker.withdrawal_handler import WithdrawalHandler
from services.tracker.writes import WriteBatch
from shared import topics
from shared.assignments import assignment_id
from shared.clock import Clock, SystemClock
from shared.events import (
    AssignmentOverridden,
    AssignmentRole,
    AssignmentStatusChanged,
    DeadLetter,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    EventMeta,
    NotificationFailed,
    ResponsibilityDisputed,
    UnitResponded,
)
from shared.events_withdrawal import DispatchWithdrawn
from shared.kafka import declare_publications, subscribe_table
from shared.logging import get_logger
from shared.signal_kinds import TRACKER_SIGNAL_TYPES
from shared.workdays import WorkCalendar

log = get_logger(__name__)
E = TypeVar("E", bound=EventMeta)


class TrackerHandlers:
    """The tracker's event handlers, with their dependencies injected."""

    def __init__(self, repo: TrackerRepository, broker: KafkaBroker, calendar: WorkCalendar,
                 approach_days: int = 1,
                 watch: Callable[[CheckRecord], None] | None = None,
                 clock: Clock | None = None) -> None:
        self.repo, self.broker, self.calendar = repo, broker, calendar
        self.clock = clock or SystemClock()
        self.approach_days = approach_days
        self._watch = watch or (lambda check: None)  # created/reopened checks → the timers
        self.withdrawals = WithdrawalHandler(repo)  # issue 19: revoked or replaced by a later package

    async def _fresh(self, events: Sequence[E]) -> list[E]:
        seen = await self.repo.applied_event_ids([e.event_id for e in events])
        if seen:
            log.info("redelivered events skipped", count=len(seen))
        return [e for e in events if e.event_id not in seen]

    async def on_received(self, events: list[DispatchReceived]) -> None:
        """Record received dispatches: one decision for the batch, one insert per collection, no
        read first (a redelivered event's documents are refused as duplicates)."""
        batch = WriteBatch()
        for event in events:
            recording.add_received(batch, event)
        await self._apply_inserts(batch, "dispatches recorded", events)

    async def on_assigned(self, events: list[DispatchAssigned]) -> None:
        """Record routing decisions and schedule their deadline checks (inserts only, no read).

        The checks of redelivered events still go to the timers: a redelivery after a rebalance may
        reach a replica that loaded its timers before the first delivery was written (an extra timer
        costs one look; a missing one loses a signal).
        """
        batch = WriteBatch()
        for event in events:
            recording.add_assigned(batch, event, self.calendar, self.approach_days)
        await self._apply_inserts(batch, "assignments recorded", events)
        for check in batch.watch:
            self._watch(check)

    async def _apply_inserts(self, batch: WriteBatch, what: str,
                             events: Sequence[DispatchReceived | DispatchAssigned]) -> None:
        """Apply a batch of creations only, and log it once with its dispatch and event ids."""
        repeated = await self.repo.apply(batch)
        log.info(what, count=len(events), redelivered=repeated,
                 dispatch_ids=[e.dispatch_id for e in events],
                 event_ids=[e.event_id for e in events])

    async def on_reassigned(self, events: list[DispatchReassigned]) -> None:
        """Record moves: close the previous unit's assignment if still open, open the new one."""
        for event in await self._fresh(events):
            overridden = bool(event.chain) and event.chain[-1].action == "override"
            if overridden and event.from_unit and event.from_unit != event.assignment.unit_code:
                # leadership moved it; after a decline or transfer the unit's own answer closes it
                old_id = assignment_id(event.dispatch_id, event.from_unit)
                old = await self.repo.assignment(old_id)
                if old is not None and not old.closed:
                    await self.repo.set_assignment(old_id, {
                        "status": Status.CANCELLED.value, "status_changed_at": event.occurred_at})
                    await self.repo.close_check(old_id, old.round)
            inherited = () if overridden else await self._leads_of_passed_part(event)
            target = await self.repo.assignment(
                assignment_id(event.dispatch_id, event.assignment.unit_code))
            if target is not None and target.closed:
                await self._reopen(target, event, inherited)  # e.g. back to Văn phòng's triage
                continue
            batch = WriteBatch()
            recording.add_reassigned(batch, event, self.calendar, self.approach_days, inherited)
            await self.repo.apply(batch)
            for check in batch.watch:
                self._watch(check)

    async def _leads_of_passed_part(self, event: DispatchReassigned) -> tuple[str, ...]:
        """The lead units a coordinating (phối hợp) part reported to before its unit passed it on."""
        if event.from_unit is None or event.assignment.role is not AssignmentRole.COORDINATING:
            return ()
        passed = await self.repo.assignment(assignment_id(event.dispatch_id, event.from_unit))
        return passed.lead_units if passed is not None else ()

    async def _reopen(self, target: AssignmentRecord, event: DispatchReassigned,
                      inherited: tuple[str, ...] = ()) -> None:
        """A unit whose assignment was closed gets the dispatch again: a new round, new deadlines."""
        round_ = target.round + 1
        fields, check = recording.reopened(event, self.calendar, self.approach_days, target.id,
                                           round_, inherited)
        await self.repo.set_assignment(target.id, fields)
        await self.repo.reschedule(check)
        self._watch(check)
        await self.repo.record(recording.timeline_entry(
            event, event.dispatch_id, from_unit=event.from_unit,
            unit_code=event.assignment.unit_code, reason=event.reason, reopened_round=round_))

    async def on_disputed(self, events: list[ResponsibilityDisputed]) -> None:
        """Mark dispatches whose units keep passing them on (đùn đẩy), for leadership to see."""
        batch = WriteBatch()
        for event in await self._fresh(events):
            recording.add_disputed(batch, event)
        await self.repo.apply(batch)

    async def on_overridden(self, events: list[AssignmentOverridden]) -> None:
        """Leadership decided: the dispute, if any, is settled (the router re-routes)."""
        batch = WriteBatch()
        for event in await self._fresh(events):
            recording.add_overridden(batch, event)
        await self.repo.apply(batch)

    async def on_responded(self, events: list[UnitResponded]) -> None:
        """Apply units' responses in order, refusing those the status ladder does not allow."""
        for event in await self._fresh(events):
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await apply_unit_response(self.repo, self.broker, event)

    async def on_notification_failed(self, events: list[NotificationFailed]) -> None:
        """Put notifications the notifier gave up on onto their dispatch's timeline (a digest's,
        which concerns no dispatch, is recorded too, for the dashboard's list of failures)."""
        batch = WriteBatch()
        for event in await self._fresh(events):
            batch.timeline.append(recording.failed_notification(event, self.clock.now()))
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                log.warning("notification failed", kind=event.kind, step=event.step)
        await self.repo.apply(batch)


def register(broker: KafkaBroker, settings: TrackerSettings,
             handlers: TrackerHandlers) -> dict[str, Any]:
    """Subscribe the tracker's handlers (one consumer group, so replicas share partitions); return
    the subscriber of each topic."""
    declare_publications(broker, "tracker", {
        topics.UNIT_RESPONDED: UnitResponded, topics.ASSIGNMENT_OVERRIDDEN: AssignmentOverridden,
        topics.ASSIGNMENT_STATUS_CHANGED: AssignmentStatusChanged, topics.DEAD_LETTER: DeadLetter,
        **{t.topic: t.event for t in TRACKER_SIGNAL_TYPES}})
    return subscribe_table(broker, service="tracker", group_id="vanthu-tracker",
                           max_attempts=settings.handler_max_attempts, table={
        topics.DISPATCH_RECEIVED: (DispatchReceived, handlers.on_received),
        topics.DISPATCH_ASSIGNED: (DispatchAssigned, handlers.on_assigned),
        topics.DISPATCH_REASSIGNED: (DispatchReassigned, handlers.on_reassigned),
        topics.UNIT_RESPONDED: (UnitResponded, handlers.on_responded),
        topics.DISPATCH_DISPUTED: (ResponsibilityDisputed, handlers.on_disputed),
        topics.ASSIGNMENT_OVERRIDDEN: (AssignmentOverridden, handlers.on_overridden),
        topics.NOTIFICATION_FAILED: (NotificationFailed, handlers.on_notification_failed),
        topics.DISPATCH_WITHDRAWN: (DispatchWithdrawn, handlers.withdrawals.on_withdrawn),
    })
