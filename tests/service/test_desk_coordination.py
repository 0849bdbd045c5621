"""The desk's dispatch page, in memory: the lead unit sees its coordinating units' parts (deadline,
in or not, the note and file each sent); a coordinating unit sees only its own work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.tracker.desk import pages
from services.tracker.desk.render import render
from services.tracker.desk.routes import ReplyLimits
from services.tracker.people import Person, Role
from shared.clock import VIETNAM_TZ, FixedClock
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import InMemoryTrackerRepository

NOW = datetime(2024, 2, 21, 9, 0, tzinfo=VIETNAM_TZ)
NAMES = {"QLCN": "Phòng Quản lý Công nghiệp", "QLTM": "Phòng Quản lý Thương mại",
         "TTRA": "Thanh tra Sở"}


class People:
    """The few reads of the people repository the dispatch page makes."""

    async def handover(self, assignment_id: str) -> None:
        return None

    async def people_of(self, unit_code: str) -> list[Person]:
        return []

    async def reply_names(self, dispatch_id: str) -> list[dict[str, Any]]:
        return [{"_id": "r1", "unit_code": "QLTM", "filename": "so-lieu-quy-1.xlsx",
                 "uploaded_by": "qltm1"}]


def _repo() -> InMemoryTrackerRepository:
    repo = InMemoryTrackerRepository()
    repo.dispatches["d1"] = {"_id": "d1", "subject": "V/v kiểm tra an toàn cụm công nghiệp",
                             "received_at": datetime(2024, 2, 6, 14, tzinfo=VIETNAM_TZ)}
    for unit, role, status, day, extra in (
        ("QLCN", "lead", "in_progress", 22, {}),
        ("QLTM", "coordinating", "completed", 20,
         {"completed_on_time": True, "reply_note": "Đã gửi số liệu"}),
        ("TTRA", "coordinating", "acknowledged", 20, {}),
    ):
        repo.assignments[f"d1:{unit}"] = {
            "_id": f"d1:{unit}", "dispatch_id": "d1", "unit_code": unit, "role": role,
            "status": status, "due_at": datetime(2024, 2, day, 17, tzinfo=VIETNAM_TZ), **extra}
    return repo


async def _page(person: Person) -> str:
    reader = pages.DeskReader(_repo(), People(), FixedClock(NOW), WorkCalendar(),  # type: ignore[arg-type]
                              NAMES)
    context = await reader.dispatch(person, "d1")
    return render("dispatch.html.j2", {
        "me": person, "csrf": "c", "units": NAMES, "notice": None, "error": None,
        "limits": ReplyLimits(1_000_000, frozenset({"pdf"})), "max_size": "1 MB",
        **context}).body.decode()


async def test_the_lead_unit_sees_its_coordinators_parts() -> None:
    html = await _page(Person("qlcn1", "Bùi Quốc Khánh", "QLCN", Role.HEAD, "x"))
    assert "Đơn vị phối hợp gửi phần phối hợp" in html
    assert 'data-part="TTRA" data-state="overdue" class="late"' in html
    assert "chưa gửi, đã quá hạn" in html and "quá hạn 1 ngày làm việc" in html
    assert 'data-part="QLTM" data-state="on_time"' in html
    assert "Đã gửi số liệu" in html and "so-lieu-quy-1.xlsx" in html


async def test_a_coordinating_unit_does_not_see_the_section() -> None:
    html = await _page(Person("ttra1", "Võ Văn Hùng", "TTRA", Role.STAFF, "x"))
    assert "Đơn vị phối hợp gửi phần phối hợp" not in html and "data-part=" not in html
    assert "so-lieu-quy-1.xlsx" not in html  # another unit's reply file
