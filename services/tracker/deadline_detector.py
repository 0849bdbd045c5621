"""The deadline detector: finds assignments whose signals are due and emits them.

Cost grows with what is due, not with what is stored: the due assignments come from in-memory
timers (``services.tracker.timers``), and each is then read by ``_id``. Timers are loaded from the
database for the partitions this replica takes over, and fed by the event consumer.

Each signal is claimed by a unique insert before it is published, and receipted after, so with
several tracker replicas it fires once. A replica that dies between claim and publish leaves a claim
without a receipt; once the claim is older than a lease, whichever replica looks at the assignment
next publishes the stored event (same event id, deduped downstream).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from structlog.contextvars import bound_contextvars

from services.tracker.records import AssignmentRecord, CheckRecord, SignalClaim
from services.tracker.repository import TrackerRepository
from services.tracker.signals import Schedule
from services.tracker.takeover import load_timers, maintain_pages
from services.tracker.timers import EVERYTHING, DeadlineTimers, Ownership
from shared import metrics
from shared.clock import Clock
from shared.events import AssignmentOverdue, AssignmentRole, derived_event_id
from shared.kafka import TRANSIENT_ERRORS
from shared.logging import get_logger
from shared.signal_kinds import SignalKind, signal_type, signal_type_of_event

log = get_logger(__name__)
BATCH_LIMIT = 500
CLAIM_LEASE = timedelta(seconds=60)


def signal_event(signal: str, check: CheckRecord, assignment: AssignmentRecord,
                 dispatch: Mapping[str, Any], now: datetime) -> BaseModel:
    """The event announcing ``signal`` (a kind, ``overdue:<level>`` for overdue) for one assignment
    (self-contained for the notifier)."""
    fields = {
        "event_id": derived_event_id("signal", check.round_id, signal),
        "correlation_id": check.dispatch_id, "dispatch_id": check.dispatch_id,
        "unit_code": assignment.unit_code, "role": AssignmentRole(assignment.role),
        "lead_units": list(assignment.lead_units),
        "subject": dispatch.get("subject"), "number": dispatch.get("number"),
        "notation": dispatch.get("notation"), "due_at": assignment.due_at,
        "ack_due_at": assignment.ack_due_at, "detected_at": now,
        "urgency": dispatch.get("urgency"),  # độ khẩn, for the notice's subject (issue 19)
    }
    kind, _, level = signal.partition(":")
    if kind == SignalKind.OVERDUE:
        return AssignmentOverdue(**fields, level=int(level))
    return signal_type(kind).event(**fields)


class DeadlineDetector:
    """Signals what is due, driven by the in-memory timers: every ``interval_s`` (at once while a
    check stopped at ``BATCH_LIMIT``) it pops the due timers and looks at those assignments only;
    ``check_once`` is also called directly by tests.

    ``ownership`` says which partitions of the dispatch topics this replica consumes (None while it
    has not joined its group); the detector loads the timers of partitions it gains, drops those of
    partitions it loses.
    """

    def __init__(self, repo: TrackerRepository, broker: KafkaBroker, clock: Clock,
                 interval_s: float,
                 ownership: Callable[[], Ownership | None] = lambda: EVERYTHING) -> None:
        self._repo = repo
        self._broker = broker
        self._clock = clock
        self._interval_s = interval_s
        self._ownership = ownership
        self._owned: Ownership | None = None
        self.timers = DeadlineTimers()
        self._task: asyncio.Task[None] | None = None
        self._upkeep: asyncio.Task[None] | None = None
        self.backlog = False
        """Whether the last check stopped at ``BATCH_LIMIT`` (then the next one runs at once)."""

    def watch(self, check: CheckRecord) -> None:
        """Look at a new or reopened assignment when its first signal is due (from the consumer)."""
        first = min(check.schedule.values(), default=None)
        if first is not None:
            self.timers.push(check.id, first.timestamp(), check.key_hash)

    async def sync_ownership(self) -> None:
        """Load the timers of partitions gained since the last call; drop those of lost ones."""
        current = self._ownership()
        if current is None or current == self._owned:
            return
        gained, lost = current.changes(self._owned)
        if self._owned is not None and self._owned.partition_count != current.partition_count:
            self.timers = DeadlineTimers()  # partitions were added: start over
        elif lost and self._owned is not None:
            self.timers.drop_partitions(lost, self._owned.partition_count)
        if gained:
            await self._load(Ownership(current.partition_count, frozenset(gained)))
        self._owned = current

    async def _load(self, gained: Ownership) -> None:
        started = time.monotonic()
        with metrics.TIMER_LOADS_RUNNING.track_inprogress(), metrics.TIMER_LOAD_SECONDS.time():
            loaded = await load_timers(self._repo, self.timers, gained)
        metrics.TIMERS_LOADED.inc(loaded)
        log.info("deadline timers loaded", partitions=sorted(gained.partitions), loaded=loaded,
                 timers=len(self.timers), seconds=round(time.monotonic() - started, 2))

    async def check_once(self) -> int:
        """Run one check; return how many signals this replica published."""
        await self.sync_ownership()
        now = self._clock.now()
        popped = self.timers.pop_due(now.timestamp(), BATCH_LIMIT)
        self.backlog = len(popped) == BATCH_LIMIT
        metrics.TIMERS_DUE.inc(len(popped))
        metrics.TIMERS_WAITING.set(len(self.timers))
        if not popped:
            return 0
        try:
            return await self._signal(popped, now)
        except BaseException:
            for assignment_id, when, hashed in popped:  # look again at the next check
                self.timers.push(assignment_id, when, hashed)
            raise

    async def _signal(self, popped: list[tuple[str, float, int]], now: datetime) -> int:
        ids = [assignment_id for assignment_id, _, _ in popped]
        checks, assignments = await asyncio.gather(self._repo.checks_by_id(ids),
                                                   self._repo.assignments_by_id(ids))
        dispatches = await self._repo.dispatches_by_id(c.dispatch_id for c in checks.values())
        due: list[tuple[str, str, BaseModel, CheckRecord]] = []
        for assignment_id, since, hashed in popped:
            check, assignment = checks.get(assignment_id), assignments.get(assignment_id)
            if check is None or assignment is None:
                continue
            status = assignment.status
            schedule = Schedule(dict(check.schedule))
            for signal in schedule.due_between(since, now, status):
                event = signal_event(signal, check, assignment,
                                     dispatches.get(check.dispatch_id, {}), now)
                due.append((check.claim_id(signal), signal, event, check))
            later = schedule.next_after(now, status)
            if later is not None:
                self.timers.push(assignment_id, later.timestamp(), hashed)
        claimed_at = datetime.now(UTC)
        won = await self._repo.claim_signals([
            SignalClaim(cid, event.event_type, event.model_dump_json(),  # type: ignore[attr-defined]
                        claimed_at) for cid, _, event, _ in due])
        mine = [(cid, event) for cid, _, event, _ in due if cid in won]
        await asyncio.gather(*(self._publish(event) for _, event in mine))
        await self._repo.add_receipts([cid for cid, _ in mine])
        for cid, event in mine:
            with bound_contextvars(dispatch_id=event.dispatch_id,  # type: ignore[attr-defined]
                                   event_id=event.event_id):  # type: ignore[attr-defined]
                log.info("deadline signal", claim=cid)
        taken = [(cid, signal, check) for cid, signal, _, check in due if cid not in won]
        return len(mine) + await self._recover(taken)

    async def _recover(self, taken: list[tuple[str, str, CheckRecord]]) -> int:
        """Signals claimed elsewhere: publish those whose claimer died before receipting them."""
        recovered = 0
        for cid, signal, check in taken:
            if await self._repo.has_receipt(cid):
                continue
            claim = await self._repo.claim(cid)
            if claim is None:
                continue
            if datetime.now(UTC) - claim.claimed_at < CLAIM_LEASE:  # the claimer may be at it
                self.timers.push(check.id, check.schedule[signal].timestamp(), check.key_hash)
                continue
            model = signal_type_of_event(claim.event_type).event
            await self._publish(model.model_validate_json(claim.event_json))
            await self._repo.add_receipts([cid])
            log.warning("deadline signal republished for a replica that died", claim=cid)
            recovered += 1
        return recovered

    async def _publish(self, event: BaseModel) -> None:
        topic = signal_type_of_event(event.event_type).topic  # type: ignore[attr-defined]
        await self._broker.publish(event, topic=topic,
                                   key=event.dispatch_id.encode())  # type: ignore[attr-defined]

    async def _loop(self) -> None:
        while True:
            try:
                await self.check_once()
            except TRANSIENT_ERRORS as exc:
                self.backlog = False
                log.warning("deadline check failed, will retry", error=repr(exc))
            except Exception:
                self.backlog = False
                log.exception("deadline check crashed, will retry")
            await asyncio.sleep(0 if self.backlog else self._interval_s)

    async def start(self) -> None:
        """Start the periodic check."""
        self._task = asyncio.create_task(self._loop(), name="deadline-detector")
        self._upkeep = asyncio.create_task(maintain_pages(self._repo), name="timer-pages-upkeep")

    async def stop(self) -> None:
        """Stop the periodic check."""
        for task in (self._task, self._upkeep):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
