"""The desk's words and lists: deadlines in working days, most urgent first, mine apart, holders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from services.tracker.desk.words import deadline_words, holders, split_mine, work_items
from services.tracker.people import Handover, Person, Role
from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar

CAL = WorkCalendar()


def vn(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=VIETNAM_TZ)


MONDAY = vn(4)  # Monday 4 March 2024, 10:00


@pytest.mark.parametrize(("due", "now", "words"), [
    (vn(6, 17), MONDAY, "còn 2 ngày làm việc"),
    (vn(11, 17), MONDAY, "còn 5 ngày làm việc"),  # the weekend does not count
    (vn(4, 17), MONDAY, "hạn cuối hôm nay"),
    (vn(1, 17), MONDAY, "quá hạn 1 ngày làm việc"),  # Friday's deadline, seen on Monday
    (vn(4, 17), vn(4, 18), "quá hạn hôm nay"),
    (vn(7, 17, month=2), vn(15, 9, month=2), "quá hạn 1 ngày làm việc"),  # Tết 2024 is off
])
def test_deadline_in_working_days(due: datetime, now: datetime, words: str) -> None:
    assert deadline_words(due, now, CAL) == words


def assignment(dispatch: str, unit: str, due: datetime, status: str = "received",
               role: str = "lead") -> dict[str, Any]:
    return {"_id": f"{dispatch}:{unit}", "dispatch_id": dispatch, "unit_code": unit,
            "due_at": due, "status": status, "role": role}


NAMES = {"QLTM": "Phòng Quản lý thương mại", "VP": "Văn phòng"}


def test_work_list_most_urgent_first_closed_left_out_handler_named() -> None:
    rows = [assignment("d-later", "QLTM", vn(11, 17)),
            assignment("d-late", "QLTM", vn(1, 17), "acknowledged"),
            assignment("d-done", "QLTM", vn(1, 17), "completed"),
            assignment("d-today", "QLTM", vn(4, 17), role="coordinating")]
    handovers = {"d-today:QLTM": Handover("d-today:QLTM", "d-today", "QLTM", "nva", "tp", MONDAY)}
    items = work_items(rows, {"d-late": {"subject": "Báo cáo quý I", "number": "12",
                                                  "notation": "/SCT-VP"}}, handovers, NAMES,
                       {"nva": "Nguyễn Văn A"}, MONDAY, CAL)
    assert [i.dispatch_id for i in items] == ["d-late", "d-today", "d-later"]
    late, today, later = items
    assert (late.flag, late.deadline, late.subject) == ("overdue", "quá hạn 1 ngày làm việc",
                                                        "Báo cáo quý I")
    assert (today.role, today.handled_by, today.flag) == ("Phối hợp", "Nguyễn Văn A", "due_soon")
    assert (late.number, today.number) == ("Số 12/SCT-VP", "")
    assert later.subject == "(chưa có trích yếu)" and later.status == "Đã nhận, chưa tiếp nhận"
    mine, rest = split_mine(items, {"d-today"})
    assert [i.dispatch_id for i in mine] == ["d-today"]
    assert [i.dispatch_id for i in rest] == ["d-late", "d-later"]


def test_work_of_several_units_is_merged_by_deadline() -> None:
    rows = [assignment("a", "QLTM", vn(6, 17)), assignment("b", "VP", vn(5, 17)),
            assignment("a", "VP", vn(7, 17))]
    items = work_items(rows, {}, {}, NAMES, {}, MONDAY, CAL)
    assert [(i.dispatch_id, i.unit_code) for i in items] == [("b", "VP"), ("a", "QLTM"),
                                                              ("a", "VP")]


def test_holders_lead_first_with_my_units_handler() -> None:
    me = Person("tp", "Trần Phó", "VP", Role.HEAD, "x")
    rows = [assignment("d", "VP", vn(6, 17), role="coordinating"),
            assignment("d", "QLTM", vn(6, 17), "completed")]
    handover = Handover("d:VP", "d", "VP", "nva", "tp", MONDAY)
    found = holders(rows, me, NAMES, handover, {"nva": "Nguyễn Văn A"}, MONDAY, CAL)
    assert [(h.unit_code, h.role, h.own) for h in found] == [("QLTM", "Chủ trì", False),
                                                             ("VP", "Phối hợp", True)]
    assert found[0].deadline == "" and found[0].status == "Hoàn thành"  # closed: no countdown
    assert (found[1].deadline, found[1].handled_by) == ("còn 2 ngày làm việc", "Nguyễn Văn A")
    assert not found[1].overdue
    late = holders(rows, me, NAMES, None, {}, vn(7), CAL)[1]
    assert (late.deadline, late.overdue, late.handled_by) == ("quá hạn 1 ngày làm việc", True, "")
