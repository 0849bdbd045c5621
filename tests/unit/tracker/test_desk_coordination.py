"""The lead unit's desk shows its coordinating units' parts: due before the lead's own deadline, in
on time, late or not yet, with the note and files each sent; a coordinating unit sees none of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.tracker.desk import coordination
from services.tracker.desk.render import render
from services.tracker.people import Person, Role
from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar

NOW = datetime(2024, 2, 21, 9, 0, tzinfo=VIETNAM_TZ)  # Wednesday after Tết
NAMES = {"QLCN": "Phòng Quản lý Công nghiệp", "QLTM": "Phòng Quản lý Thương mại",
         "TTRA": "Thanh tra Sở", "KHTC": "Phòng Kế hoạch - Tài chính"}


def person(unit: str, role: Role = Role.STAFF) -> Person:
    return Person(login=f"{unit.lower()}1", name="Nguyễn Văn A", unit_code=unit, role=role,
                  password_hash="x")


def _a(unit: str, role: str, status: str, due: datetime, **extra: Any) -> dict[str, Any]:
    return {"dispatch_id": "d1", "unit_code": unit, "role": role, "status": status, "due_at": due,
            **extra}


ASSIGNMENTS = [
    _a("QLCN", "lead", "in_progress", datetime(2024, 2, 22, 17, tzinfo=VIETNAM_TZ)),
    _a("QLTM", "coordinating", "completed", datetime(2024, 2, 20, 17, tzinfo=VIETNAM_TZ),
       completed_on_time=True, reply_note="Số liệu quý I <đính kèm>"),
    _a("TTRA", "coordinating", "acknowledged", datetime(2024, 2, 16, 17, tzinfo=VIETNAM_TZ)),
    _a("KHTC", "coordinating", "received", datetime(2024, 2, 23, 17, tzinfo=VIETNAM_TZ)),
]
REPLIES = [{"unit_code": "QLTM", "filename": "so-lieu.pdf"}, {"unit_code": "QLCN", "filename": "bc.pdf"}]


def test_the_lead_sees_each_part_earliest_deadline_first() -> None:
    parts = coordination.parts(person("QLCN"), ASSIGNMENTS, REPLIES, NAMES, NOW, WorkCalendar())
    assert [(p.unit_code, p.state, p.late) for p in parts] == [
        ("TTRA", "overdue", True), ("QLTM", "on_time", False), ("KHTC", "pending", False)]
    ttra, qltm, khtc = parts
    assert (ttra.state_text, ttra.deadline) == ("chưa gửi, đã quá hạn", "quá hạn 3 ngày làm việc")
    assert (qltm.state_text, qltm.deadline, qltm.note, qltm.files) == (
        "đã gửi đúng hạn", "", "Số liệu quý I <đính kèm>", ("so-lieu.pdf",))
    assert (khtc.deadline, khtc.due) == ("còn 2 ngày làm việc", "17:00 ngày 23/02/2024")


def test_a_coordinating_unit_does_not_see_the_others_parts() -> None:
    assert coordination.parts(person("QLTM"), ASSIGNMENTS, REPLIES, NAMES, NOW, WorkCalendar()) == []
    alone = [ASSIGNMENTS[0]]
    assert coordination.parts(person("QLCN"), alone, [], NAMES, NOW, WorkCalendar()) == []


def test_the_section_shows_the_parts_escaped_and_nothing_without_them() -> None:
    parts = coordination.parts(person("QLCN", Role.HEAD), ASSIGNMENTS, REPLIES, NAMES, NOW,
                               WorkCalendar())
    html = render("coordination.html.j2", {"coordination": parts}).body.decode()
    assert "Đơn vị phối hợp gửi phần phối hợp" in html
    assert html.count("data-part=") == 3 and 'data-part="TTRA" data-state="overdue" class="late"' in html
    assert "Số liệu quý I &lt;đính kèm&gt;" in html and "so-lieu.pdf" in html and "bc.pdf" not in html
    assert render("coordination.html.j2", {"coordination": []}).body.decode().strip() == ""
    assert render("coordination.html.j2", {}).body.decode().strip() == ""
