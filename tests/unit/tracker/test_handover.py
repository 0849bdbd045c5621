"""A hand-over inside a unit (phân công xử lý), issue 16: when it is refused, the event announcing
it, and its line on the dispatch's timeline (dashboard and desk), in words. Pure: no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.tracker.dashboard.dispatch_page import timeline
from services.tracker.desk.actions import handover_refusal, same_handover
from services.tracker.desk.handover import handover_entry, handover_event
from services.tracker.ladder import Status
from services.tracker.people import Handover, Person, Role, handed_over_words
from services.tracker.records import AssignmentRecord

AT = datetime(2024, 3, 4, 2, 30, tzinfo=UTC)
NAMES = {"QLTM": "Phòng Quản lý Thương mại", "VP": "Văn phòng"}


def person(login: str, name: str, role: Role = Role.STAFF, unit: str = "QLTM",
           disabled: bool = False) -> Person:
    return Person(login=login, name=name, unit_code=unit, role=role, password_hash="-",
                  disabled=disabled)


HEAD = person("lvc", "Lê Văn C", Role.HEAD)
TTB = person("ttb", "Trần Thị B")
NVA = person("nva", "Nguyễn Văn A")


def assignment(status: Status = Status.ACKNOWLEDGED, unit: str = "QLTM") -> AssignmentRecord:
    return AssignmentRecord(id=f"d1:{unit}", dispatch_id="d1", unit_code=unit, status=status,
                            due_at=AT)


def test_a_head_hands_an_open_assignment_of_the_unit_to_one_of_its_people() -> None:
    assert handover_refusal(HEAD, assignment(), TTB, "") is None
    assert handover_refusal(HEAD, assignment(Status.RECEIVED), TTB, "xem gấp") is None


@pytest.mark.parametrize(("head", "found", "staff", "note", "status", "words"), [
    (HEAD, None, TTB, "", 403, "không giao cho đơn vị của bạn"),
    (NVA, assignment(), TTB, "", 403, "Chỉ trưởng đơn vị QLTM"),
    (HEAD, assignment(), None, "", 403, "Không có người này"),
    (HEAD, assignment(), person("x", "Người Văn Phòng", unit="VP"), "", 403,
     "Người Văn Phòng không phải cán bộ của đơn vị QLTM"),
    (HEAD, assignment(), person("old", "Người Đã Nghỉ", disabled=True), "", 403, "đã bị khóa"),
    (HEAD, assignment(Status.COMPLETED), TTB, "", 409, "đã xử lý xong"),
    (HEAD, assignment(), TTB, "x" * 4001, 422, "Ghi chú dài quá 4000 ký tự"),
])
def test_a_refused_hand_over_says_why(head: Person, found: AssignmentRecord | None,
                                      staff: Person | None, note: str, status: int,
                                      words: str) -> None:
    refused = handover_refusal(head, found, staff, note)
    assert refused is not None and refused.status == status and words in refused.reason


def test_the_same_hand_over_sent_twice_is_nothing_new() -> None:
    before = Handover("d1:QLTM", "d1", "QLTM", "ttb", "lvc", AT, "xem gấp")
    assert same_handover(before, "ttb", "xem gấp")
    assert not same_handover(before, "ttb", "")  # a new note is news
    assert not same_handover(before, "nva", "xem gấp")
    assert not same_handover(None, "ttb", "")


def test_the_event_is_self_contained_and_keyed_by_the_dispatch() -> None:
    record = Handover("d1:QLTM", "d1", "QLTM", "ttb", "lvc", AT, "xem gấp")
    before = Handover("d1:QLTM", "d1", "QLTM", "nva", "lvc", AT)
    event = handover_event(record, TTB, HEAD, "Trưởng phòng", before, "Nguyễn Văn A")
    assert (event.event_type, event.dispatch_id, event.correlation_id, event.assignment_id) == \
        ("assignment.handed_over", "d1", "d1", "d1:QLTM")
    assert (event.staff_login, event.staff_name, event.handed_by, event.handed_by_name) == \
        ("ttb", "Trần Thị B", "lvc", "Lê Văn C")
    assert (event.previous_staff_login, event.previous_staff_name, event.note) == \
        ("nva", "Nguyễn Văn A", "xem gấp")
    assert event.occurred_at == AT and event.event_id
    first = handover_event(Handover("d1:QLTM", "d1", "QLTM", "ttb", "lvc", AT), TTB, HEAD, None,
                           None, None)
    assert first.note is None and first.previous_staff_login is None


def test_the_timeline_says_who_handed_it_to_whom_in_words() -> None:
    entry = {"event_type": "assignment.handed_over", "unit_code": "QLTM", "staff_login": "ttb",
             "staff_name": "Trần Thị B", "handed_by": "lvc", "handed_by_name": "Lê Văn C",
             "handed_by_title": "Trưởng phòng"}
    assert handed_over_words(entry, NAMES) == \
        "Phòng Quản lý Thương mại (QLTM): Trưởng phòng Lê Văn C phân công Trần Thị B xử lý"
    again = {**entry, "previous_staff_name": "Nguyễn Văn A", "note": "xem gấp"}
    assert handed_over_words(again, NAMES) == (
        "Phòng Quản lý Thương mại (QLTM): Trưởng phòng Lê Văn C phân công Trần Thị B xử lý "
        "(thay Nguyễn Văn A) — ghi chú: «xem gấp»")
    older = {"event_type": "desk.handed_over", "unit_code": "XYZ", "staff_login": "ttb",
             "by": "lvc"}  # recorded before the event existed: no names, no title
    assert handed_over_words(older, NAMES) == "XYZ: Trưởng đơn vị lvc phân công ttb xử lý"


def test_the_dispatch_page_shows_the_entry_the_flow_records() -> None:
    event = handover_event(Handover("d1:QLTM", "d1", "QLTM", "ttb", "lvc", AT), TTB, HEAD,
                           "Trưởng phòng", None, None)
    entry = handover_entry(event)
    assert (entry.event_id, entry.dispatch_id, entry.event_type) == \
        (event.event_id, "d1", "assignment.handed_over")
    shown = timeline([entry.as_doc()], [], NAMES)
    assert [e.text for e in shown] == [
        "Phòng Quản lý Thương mại (QLTM): Trưởng phòng Lê Văn C phân công Trần Thị B xử lý"]
    assert shown[0].at == AT
