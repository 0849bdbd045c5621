"""The deadline detector: finds assignments whose check time has passed and emits their signals.

Cost grows with what is due, not with what is stored: only checks with ``next_check_at <= now`` are
read (indexed). Each signal is claimed by a unique insert before it is published, so with several
tracker replicas it fires once. A replica that dies between claim and publish leaves an unpublished
claim; after a lease, any replica publishes the stored event (same event id, deduped downstream).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from structlog.contextvars import bound_contextvars

from services.tracker.ladder import Status
from services.tracker.repository import TrackerRepository
from services.tracker.signals import Schedule
from shared import topics
from shared.clock import Clock
from shared.events import (
    AssignmentDeadlineApproaching,
    AssignmentNotAcknowledged,
    AssignmentOverdue,
    AssignmentRole,
    derived_event_id,
)
from shared.kafka import TRANSIENT_ERRORS
from shared.logging import get_logger

log = get_logger(__name__)
BATCH_LIMIT = 500
CLAIM_LEASE = timedelta(seconds=60)
SIGNAL_TYPES: dict[str, tuple[type[BaseModel], str]] = {
    "assignment.approaching": (AssignmentDeadlineApproaching, topics.ASSIGNMENT_APPROACHING),
    "assignment.overdue": (AssignmentOverdue, topics.ASSIGNMENT_OVERDUE),
    "assignment.unacknowledged": (AssignmentNotAcknowledged, topics.ASSIGNMENT_UNACKNOWLEDGED),
}
"""Event type → (model, topic) of each deadline signal."""


def _round_id(check: dict[str, Any]) -> str:
    """The assignment id, plus its round when it was reopened (a new round fires anew)."""
    round_ = int(check.get("round", 0))
    return f"{check['_id']}:r{round_}" if round_ else str(check["_id"])


def signal_event(signal: str, check: dict[str, Any], assignment: dict[str, Any],
                 dispatch: dict[str, Any], now: datetime) -> BaseModel:
    """The event announcing ``signal`` for one assignment (self-contained for the notifier)."""
    fields = {
        "event_id": derived_event_id("signal", _round_id(check), signal),
        "correlation_id": check["dispatch_id"], "dispatch_id": check["dispatch_id"],
        "unit_code": check["unit_code"], "role": AssignmentRole(assignment.get("role", "lead")),
        "subject": dispatch.get("subject"), "number": dispatch.get("number"),
        "notation": dispatch.get("notation"), "due_at": assignment["due_at"],
        "ack_due_at": assignment.get("ack_due_at"), "detected_at": now,
    }
    if signal == "approaching":
        return AssignmentDeadlineApproaching(**fields)
    if signal == "unacknowledged":
        return AssignmentNotAcknowledged(**fields)
    return AssignmentOverdue(**fields, level=int(signal.split(":")[1]))


class DeadlineScanner:
    """Periodically checks due assignments; ``check_once`` is also called directly by tests."""

    def __init__(self, repo: TrackerRepository, broker: KafkaBroker, clock: Clock,
                 interval_s: float) -> None:
        self._repo = repo
        self._broker = broker
        self._clock = clock
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None
        self._last_recovery = float("-inf")

    async def _publish(self, event: BaseModel) -> None:
        topic = SIGNAL_TYPES[event.event_type][1]  # type: ignore[attr-defined]
        await self._broker.publish(event, topic=topic,
                                   key=event.dispatch_id.encode())  # type: ignore[attr-defined]

    async def check_once(self) -> int:
        """Run one check; return how many signals this replica published."""
        now = self._clock.now()
        published = 0
        if time.monotonic() - self._last_recovery >= CLAIM_LEASE.total_seconds() / 2:
            self._last_recovery = time.monotonic()  # a scan of the claims: now and then only
            published += await self._republish_stale()
        checks = await self._repo.due_checks(now, BATCH_LIMIT)
        if not checks:
            return published
        assignments = await self._repo.by_ids("assignments", [c["_id"] for c in checks])
        dispatches = await self._repo.by_ids("dispatches", list({c["dispatch_id"] for c in checks}))
        for check in checks:
            assignment = assignments.get(check["_id"])
            if assignment is None:
                continue
            status = Status(assignment["status"])
            schedule = Schedule({k: v for k, v in check["schedule"].items()})
            fired = set(check.get("fired", []))
            for signal in schedule.due(now, status, fired):
                event = signal_event(signal, check, assignment,
                                     dispatches.get(check["dispatch_id"], {}), now)
                claim_id = f"{_round_id(check)}:{signal}"
                fired.add(signal)
                if not await self._repo.claim_signal(
                    claim_id, event.event_type, event.model_dump_json(),  # type: ignore[attr-defined]
                    datetime.now(UTC)):
                    continue
                with bound_contextvars(dispatch_id=check["dispatch_id"],
                                       event_id=event.event_id):  # type: ignore[attr-defined]
                    await self._publish(event)
                    await self._repo.mark_claim_published(claim_id)
                    log.info("deadline signal", signal=signal, unit_code=check["unit_code"])
                published += 1
            await self._repo.update_check(check["_id"], sorted(fired),
                                          schedule.next_check(status, fired))
        return published

    async def _republish_stale(self) -> int:
        count = 0
        for claim in await self._repo.stale_claims(datetime.now(UTC) - CLAIM_LEASE):
            model = SIGNAL_TYPES[claim["event_type"]][0]
            await self._publish(model.model_validate_json(claim["event"]))
            await self._repo.mark_claim_published(claim["_id"])
            count += 1
        return count

    async def _loop(self) -> None:
        while True:
            try:
                await self.check_once()
            except TRANSIENT_ERRORS as exc:
                log.warning("deadline check failed, will retry", error=repr(exc))
            except Exception:
                log.exception("deadline check crashed, will retry")
            await asyncio.sleep(self._interval_s)

    async def start(self) -> None:
        """Start the periodic check."""
        self._task = asyncio.create_task(self._loop(), name="deadline-scanner")

    async def stop(self) -> None:
        """Stop the periodic check."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
