"""Handing a unit's assignment to one of its people (phân công xử lý), from the desk (issue 16).

The path blockers take (:mod:`services.tracker.blockers_flow`): decided by
:func:`services.tracker.desk.actions.handover_refusal`, stored (``desk_handovers``), published
(``AssignmentHandedOver`` on ``vanthu.assignment.handedover.v1``) and put on the dispatch's timeline.
The write comes first and the event after it; if Kafka refuses the event, the previous hand-over is
put back and the form refused 503, so an accepted hand-over is always announced. The same hand-over
sent twice (same person, same note) is recorded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.tracker.desk.actions import Refused, handover_refusal, same_handover
from services.tracker.people import Handover, Person
from services.tracker.recording import timeline_entry
from services.tracker.records import TimelineEntry
from services.tracker.repository import TrackerRepository
from services.tracker.repository.people import PeopleRepository
from shared import topics
from shared.assignments import assignment_id
from shared.clock import Clock
from shared.events_handover import AssignmentHandedOver
from shared.logging import get_logger

log = get_logger(__name__)
UNAVAILABLE = ("Hệ thống tạm thời không gửi được thông báo nên chưa ghi nhận phân công; "
               "vui lòng gửi lại sau ít phút.")


def handover_event(record: Handover, staff: Person, head: Person, title: str | None,
                   previous: Handover | None, previous_name: str | None) -> AssignmentHandedOver:
    """The event announcing ``record`` (self-contained: names as well as logins)."""
    return AssignmentHandedOver(
        correlation_id=record.dispatch_id, occurred_at=record.at, dispatch_id=record.dispatch_id,
        unit_code=record.unit_code, assignment_id=record.id, staff_login=staff.login,
        staff_name=staff.name, handed_by=head.login, handed_by_name=head.name,
        handed_by_title=title, previous_staff_login=previous.staff_login if previous else None,
        previous_staff_name=previous_name, note=record.note or None)


def handover_entry(event: AssignmentHandedOver) -> TimelineEntry:
    """The dispatch's timeline entry of ``event`` (worded by
    :func:`services.tracker.people.handed_over_words`)."""
    return timeline_entry(event, event.dispatch_id, **event.model_dump(include={
        "unit_code", "staff_login", "staff_name", "handed_by", "handed_by_name", "handed_by_title",
        "previous_staff_login", "previous_staff_name", "note"}))


@dataclass(frozen=True)
class HandoverDesk:
    """What a hand-over needs; ``titles`` maps unit codes to their head's title (chức vụ)."""

    repo: TrackerRepository
    people: PeopleRepository
    broker: KafkaBroker
    clock: Clock
    titles: Mapping[str, str]

    async def hand_over(self, head: Person, dispatch_id: str, staff_login: str,
                        note: str = "") -> AssignmentHandedOver | None:
        """Hand ``head``'s unit's assignment to ``staff_login``: the event, or None when it was
        already so; raises :class:`~services.tracker.desk.actions.Refused`."""
        own_id = assignment_id(dispatch_id, head.unit_code)
        assignment = await self.repo.assignment(own_id)
        staff = await self.people.person(staff_login.strip().lower())
        note = note.strip()
        if (refused := handover_refusal(head, assignment, staff, note)) is not None:
            raise refused
        assert staff is not None
        previous = await self.people.handover(own_id)
        if same_handover(previous, staff.login, note):
            return None
        before = await self.people.person(previous.staff_login) if previous else None
        record = Handover(own_id, dispatch_id, head.unit_code, staff.login, head.login,
                          self.clock.now(), note)
        event = handover_event(record, staff, head, self.titles.get(head.unit_code), previous,
                               before.name if before else None)
        with bound_contextvars(dispatch_id=dispatch_id, event_id=event.event_id):
            await self.people.hand_over(record)
            try:
                await self.broker.publish(event, topic=topics.ASSIGNMENT_HANDED_OVER,
                                          key=dispatch_id.encode())
            except Exception as exc:
                log.warning("hand-over not published; write undone", error=type(exc).__name__)
                await self.people.undo_hand_over(own_id, previous)
                raise Refused(503, UNAVAILABLE) from exc
            await self.repo.record(handover_entry(event))
            log.info("assignment handed over", unit_code=head.unit_code, staff_login=staff.login)
        return event
