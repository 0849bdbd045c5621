"""The hand-over's path (services.tracker.desk.handover) with in-memory fakes: stored, published
keyed by the dispatch, on the timeline as that event; refused before any write; the same hand-over
twice recorded once; and when Kafka refuses, the previous hand-over is put back and the form gets
503, with nothing on the timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.tracker.desk.actions import Refused
from services.tracker.desk.handover import HandoverDesk
from services.tracker.ladder import Status
from services.tracker.people import Handover, Person, Role
from services.tracker.records import AssignmentRecord, TimelineEntry
from shared import topics
from shared.clock import FixedClock
from shared.events_handover import AssignmentHandedOver

AT = datetime(2024, 3, 4, 2, 30, tzinfo=UTC)
HEAD = Person("lvc", "Lê Văn C", "QLTM", Role.HEAD, "-")
STAFF = {p.login: p for p in (HEAD, Person("ttb", "Trần Thị B", "QLTM", Role.STAFF, "-"),
                              Person("nva", "Nguyễn Văn A", "QLTM", Role.STAFF, "-"))}


class Repo:
    def __init__(self) -> None:
        self.timeline: list[TimelineEntry] = []

    async def assignment(self, own_id: str) -> AssignmentRecord | None:
        return AssignmentRecord(own_id, "d1", "QLTM", Status.ACKNOWLEDGED, AT) \
            if own_id == "d1:QLTM" else None

    async def record(self, entry: TimelineEntry) -> None:
        self.timeline.append(entry)


class People:
    def __init__(self) -> None:
        self.handovers: dict[str, Handover] = {}

    async def person(self, login: str) -> Person | None:
        return STAFF.get(login)

    async def handover(self, own_id: str) -> Handover | None:
        return self.handovers.get(own_id)

    async def hand_over(self, record: Handover) -> None:
        self.handovers[record.id] = record

    async def undo_hand_over(self, own_id: str, previous: Handover | None) -> None:
        if previous is None:
            self.handovers.pop(own_id, None)
        else:
            self.handovers[own_id] = previous


class Broker:
    def __init__(self) -> None:
        self.sent: list[tuple[Any, str, bytes]] = []
        self.down = False

    async def publish(self, event: Any, *, topic: str, key: bytes) -> None:
        if self.down:
            raise ConnectionError("kafka down")
        self.sent.append((event, topic, key))


def desk() -> tuple[HandoverDesk, Repo, People, Broker]:
    repo, people, broker = Repo(), People(), Broker()
    flow = HandoverDesk(repo, people, broker, FixedClock(AT),  # type: ignore[arg-type]
                        {"QLTM": "Trưởng phòng"})
    return flow, repo, people, broker


async def test_a_hand_over_is_stored_announced_and_on_the_timeline() -> None:
    flow, repo, people, broker = desk()
    event = await flow.hand_over(HEAD, "d1", " TTB ", "  xem gấp ")
    assert isinstance(event, AssignmentHandedOver) and event.note == "xem gấp"
    assert people.handovers["d1:QLTM"] == Handover("d1:QLTM", "d1", "QLTM", "ttb", "lvc", AT,
                                                   "xem gấp")
    assert broker.sent == [(event, topics.ASSIGNMENT_HANDED_OVER, b"d1")]
    assert [(e.event_id, e.event_type, e.details["handed_by_title"]) for e in repo.timeline] == \
        [(event.event_id, "assignment.handed_over", "Trưởng phòng")]
    assert await flow.hand_over(HEAD, "d1", "ttb", "xem gấp") is None  # sent twice: once
    again = await flow.hand_over(HEAD, "d1", "nva")
    assert again is not None and (again.previous_staff_login, again.previous_staff_name) == \
        ("ttb", "Trần Thị B")
    assert len(broker.sent) == len(repo.timeline) == 2


async def test_kafka_refusing_puts_the_previous_hand_over_back_and_answers_503() -> None:
    flow, repo, people, broker = desk()
    await flow.hand_over(HEAD, "d1", "ttb")
    broker.down = True
    with pytest.raises(Refused) as refused:
        await flow.hand_over(HEAD, "d1", "nva")
    assert refused.value.status == 503 and "gửi lại" in refused.value.reason
    assert people.handovers["d1:QLTM"].staff_login == "ttb" and len(repo.timeline) == 1
    fresh, repo, people, broker = desk()
    broker.down = True
    with pytest.raises(Refused):
        await fresh.hand_over(HEAD, "d1", "ttb")
    assert people.handovers == {} and repo.timeline == []


async def test_a_refused_hand_over_writes_nothing() -> None:
    flow, repo, people, broker = desk()
    with pytest.raises(Refused) as refused:
        await flow.hand_over(HEAD, "d2", "ttb")  # not QLTM's dispatch
    assert refused.value.status == 403
    with pytest.raises(Refused) as refused:
        await flow.hand_over(STAFF["nva"], "d1", "ttb")  # not the head
    assert refused.value.status == 403
    assert people.handovers == {} and broker.sent == [] and repo.timeline == []
