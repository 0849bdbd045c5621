"""The overdue detector: finds assignments whose check time has passed and emits AssignmentOverdue.

Each firing is claimed (a unique insert) before anything is published, so with several tracker
replicas a level still fires once. If a replica dies between claim and publish, the claim's lease
expires and another replica publishes the same (deterministic) event id again; consumers dedupe it.
"""

from __future__ import annotations

import asyncio
import contextlib

from faststream.kafka import KafkaBroker
from pymongo import InsertOne
from structlog.contextvars import bound_contextvars

from services.tracker.overdue import CLAIM_LEASE, next_check_after, overdue_finding
from services.tracker.repository import TrackerRepository
from shared import topics
from shared.clock import Clock
from shared.events import AssignmentOverdue, derived_event_id
from shared.kafka import TRANSIENT_ERRORS
from shared.logging import get_logger

log = get_logger(__name__)
BATCH_LIMIT = 500


class OverdueScanner:
    """Periodically checks due assignments; ``check_once`` is also called directly by tests."""

    def __init__(self, repo: TrackerRepository, broker: KafkaBroker, clock: Clock,
                 interval_s: float) -> None:
        self._repo = repo
        self._publisher = broker.publisher(topics.ASSIGNMENT_OVERDUE, title="tracker:overdue")
        self._clock = clock
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    async def check_once(self) -> int:
        """Run one check; return how many overdue events this replica published."""
        now = self._clock.now()
        published = 0
        for assignment in await self._repo.due_for_check(now, BATCH_LIMIT):
            finding = overdue_finding(assignment, now)
            if finding is None or not await self._repo.claim_check(
                finding.assignment_id, finding.level, now, CLAIM_LEASE
            ):
                continue
            event = AssignmentOverdue(
                event_id=derived_event_id("overdue", finding.assignment_id, str(finding.level)),
                correlation_id=finding.dispatch_id,
                dispatch_id=finding.dispatch_id,
                unit_code=finding.unit_code,
                due_at=finding.due_at,
                detected_at=now,
                level=finding.level,
            )
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await self._publisher.publish(event, key=event.dispatch_id.encode())
                await self._repo.record_overdue(
                    finding.assignment_id, finding.level,
                    next_check_after(finding.level, finding.due_at),
                    InsertOne({"_id": event.event_id, "dispatch_id": event.dispatch_id,
                               "event_type": event.event_type, "occurred_at": now,
                               "unit_code": event.unit_code, "level": event.level}),
                )
                log.info("assignment overdue", unit_code=finding.unit_code, level=finding.level)
            published += 1
        return published

    async def _loop(self) -> None:
        while True:
            try:
                await self.check_once()
            except TRANSIENT_ERRORS as exc:
                log.warning("overdue check failed, will retry", error=repr(exc))
            except Exception:
                log.exception("overdue check crashed, will retry")
            await asyncio.sleep(self._interval_s)

    async def start(self) -> None:
        """Start the periodic check."""
        self._task = asyncio.create_task(self._loop(), name="overdue-scanner")

    async def stop(self) -> None:
        """Stop the periodic check."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
