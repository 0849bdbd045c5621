"""Reporting a blocker and directing it: the one path of the HTTP API, the desk and the dashboard.

Each step is decided by :mod:`services.tracker.blockers`, stored (``repository.blockers``), put on the
dispatch's timeline and published (``BlockerReported`` / ``BlockerDirected``), so the notifier tells
the Office and the deputy in charge, then the unit. The write comes first and the event after it; if
Kafka refuses the event, the write is undone and the request refused 503, so an accepted blocker or
direction is always announced.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.tracker import blockers as rules
from services.tracker.blockers import Blocker, Refusal
from services.tracker.recording import timeline_entry
from services.tracker.repository import TrackerRepository
from services.tracker.repository.blockers import BlockersRepository
from shared import topics
from shared.assignments import assignment_id
from shared.clock import Clock
from shared.events_blockers import BlockerDirected, BlockerReported
from shared.logging import get_logger
from shared.workdays import WorkCalendar

log = get_logger(__name__)


class BlockerRefused(Exception):
    """A request about a blocker refused (status and reason; ``field`` for a bad body field)."""

    def __init__(self, refusal: Refusal, field: str | None = None) -> None:
        super().__init__(refusal.reason)
        self.status, self.reason, self.field = refusal.status, refusal.reason, field


@dataclass(frozen=True)
class BlockerDesk:
    """What reporting and directing need."""

    repo: TrackerRepository
    store: BlockersRepository
    broker: KafkaBroker
    clock: Clock
    calendar: WorkCalendar

    async def report(self, *, dispatch_id: str, unit_code: str, caller_unit: str | None,
                     note: str, reported_by: str, reported_by_name: str | None = None
                     ) -> tuple[Blocker, str]:
        """Report a blocker; (the blocker, the event id), or raise :class:`BlockerRefused`."""
        assignment = await self.repo.assignment(assignment_id(dispatch_id, unit_code))
        if (refused := rules.report_refusal(caller_unit, unit_code, assignment)) is not None:
            raise BlockerRefused(refused)
        if (problem := rules.note_problem(note)) is not None:
            raise BlockerRefused(Refusal(422, problem), "note")
        assert assignment is not None
        head = (await self.repo.dispatches_by_id([dispatch_id])).get(dispatch_id) or {}
        blocker = Blocker(id=uuid.uuid4().hex, dispatch_id=dispatch_id, unit_code=unit_code,
                          note=note.strip(), reported_by=reported_by,
                          reported_by_name=reported_by_name, reported_at=self.clock.now())
        event = BlockerReported(
            correlation_id=dispatch_id, occurred_at=blocker.reported_at, blocker_id=blocker.id,
            dispatch_id=dispatch_id, unit_code=unit_code, note=blocker.note,
            reported_by=reported_by, reported_by_name=reported_by_name,
            subject=head.get("subject"), number=head.get("number"),
            notation=head.get("notation"), due_at=assignment.due_at)
        with bound_contextvars(dispatch_id=dispatch_id, event_id=event.event_id):
            await self.store.add(blocker)
            await self._announce(event, topics.BLOCKER_REPORTED, partial(self.store.remove, blocker.id))
            await self.repo.record(timeline_entry(
                event, dispatch_id, blocker_id=blocker.id, unit_code=unit_code, note=blocker.note,
                reported_by=reported_by, reported_by_name=reported_by_name))
            log.info("blocker reported", blocker_id=blocker.id, unit_code=unit_code)
        return blocker, event.event_id

    async def direct(self, *, blocker_id: str, direction: str, directed_by: str
                     ) -> tuple[Blocker, BlockerDirected]:
        """Give leadership's direction on an open blocker, or raise :class:`BlockerRefused`."""
        blocker = await self.store.blocker(blocker_id)
        if (refused := rules.direction_refusal(blocker)) is not None:
            raise BlockerRefused(refused)
        if (problem := rules.note_problem(direction)) is not None:
            raise BlockerRefused(Refusal(422, problem), "direction")
        assert blocker is not None
        answered = blocker.directed(direction.strip(), directed_by, self.clock.now())
        if not await self.store.direct(answered):  # someone answered in between
            raise BlockerRefused(rules.direction_refusal(await self.store.blocker(blocker_id))
                                 or Refusal(409, "vướng mắc này đã có ý kiến chỉ đạo"))
        seconds, words = rules.waited(answered, answered.directed_at or self.clock.now(),
                                      self.calendar)
        head = (await self.repo.dispatches_by_id([blocker.dispatch_id])).get(
            blocker.dispatch_id) or {}
        event = BlockerDirected(
            correlation_id=blocker.dispatch_id, occurred_at=answered.directed_at,
            blocker_id=blocker.id, dispatch_id=blocker.dispatch_id, unit_code=blocker.unit_code,
            direction=answered.direction, directed_by=directed_by,
            reported_at=blocker.reported_at, waited_s=seconds, waited_words=words,
            note=blocker.note, subject=head.get("subject"))
        with bound_contextvars(dispatch_id=blocker.dispatch_id, event_id=event.event_id):
            await self._announce(event, topics.BLOCKER_DIRECTED, partial(self.store.undirect, blocker))
            await self.repo.record(timeline_entry(
                event, blocker.dispatch_id, blocker_id=blocker.id, unit_code=blocker.unit_code,
                direction=answered.direction, directed_by=directed_by, waited_s=seconds,
                waited_words=words))
            log.info("blocker directed", blocker_id=blocker.id, waited_s=seconds)
        return answered, event

    async def _announce(self, event: BlockerReported | BlockerDirected, topic: str,
                        undo: Callable[[], Awaitable[None]]) -> None:
        """Publish ``event``; if Kafka refuses, ``undo`` the write and refuse 503 (nothing is
        accepted that no one is told about: the caller sends it again)."""
        try:
            await self.broker.publish(event, topic=topic, key=event.dispatch_id.encode())
        except Exception as exc:
            log.warning("blocker event not published; write undone", error=type(exc).__name__)
            await undo()
            raise BlockerRefused(Refusal(503, "hệ thống tạm thời không gửi được thông báo; "
                                              "chưa ghi nhận, vui lòng gửi lại sau ít phút")) from exc
