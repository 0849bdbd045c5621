"""Độ khẩn on every page (issue 19): a red badge before the subject on the dashboard's and the
desk's dispatch pages and lists; on the desk, urgent work first when deadlines tie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.tracker.dashboard import labels
from services.tracker.dashboard.render import render
from services.tracker.dashboard.views import overdue_rows
from services.tracker.desk.render import render as desk_render
from services.tracker.desk.words import work_items
from services.tracker.people import Person, Role
from shared.workdays import WorkCalendar
from tests.unit.dashboard.test_letter_text import CONTEXT
from tests.unit.tracker.test_desk_words import MONDAY, NAMES, assignment, vn


def test_badges_per_urgency() -> None:
    assert [labels.urgency_badge(u) for u in ("express", "very_urgent", "urgent", "normal", None)] == [
        "HỎA TỐC", "THƯỢNG KHẨN", "KHẨN", "", ""]
    assert [labels.urgency_rank(u) for u in ("express", "urgent", None)] == [0, 2, 3]


def test_urgent_work_comes_first_when_deadlines_tie() -> None:
    rows = [assignment(d, "QLTM", vn(6, 17)) for d in ("plain", "urgent", "express")]
    rows.append(assignment("earlier", "QLTM", vn(5, 17)))
    heads = {"urgent": {"urgency": "urgent"}, "express": {"urgency": "express"},
             "plain": {"urgency": "normal"}}
    items = work_items(rows, heads, {}, NAMES, {}, MONDAY, WorkCalendar())
    assert [i.dispatch_id for i in items] == ["earlier", "express", "urgent", "plain"]
    assert [i.urgency for i in items] == ["", "HỎA TỐC", "KHẨN", ""]


def test_the_badge_is_on_the_dispatch_page_and_the_lists() -> None:
    page = render("dispatch.html.j2", {**CONTEXT, "text": None,
                                       "doc": {"subject": "V/v thử", "urgency": "express"}})
    assert '<span class="urgency">HỎA TỐC</span> V/v thử' in page.body.decode()
    plain = render("dispatch.html.j2", {**CONTEXT, "text": None}).body.decode()
    assert 'class="urgency"' not in plain
    now = datetime(2024, 3, 4, tzinfo=UTC)
    late = {"_id": "d1:QLTM", "dispatch_id": "d1", "unit_code": "QLTM", "status": "received",
            "due_at": now - timedelta(days=1)}
    [row] = overdue_rows([late], {"d1": {"subject": "V/v thử", "urgency": "very_urgent"}}, NAMES, now)
    assert row.urgency == "THƯỢNG KHẨN"


def test_the_badge_is_on_the_desk_work_list() -> None:
    rows = [assignment("fast", "QLTM", vn(6, 17))]
    items = work_items(rows, {"fast": {"subject": "V/v gấp", "urgency": "express"}}, {}, NAMES, {},
                       MONDAY, WorkCalendar())
    me = Person("nva", "Nguyễn Văn A", "QLTM", Role.STAFF, "x")
    body = desk_render("work.html.j2", {"me": me, "csrf": "c", "units": NAMES, "mine": [],
                                        "unit": items, "now": "10:00"}).body.decode()
    assert '<span class="urgency">HỎA TỐC</span>' in body and "V/v gấp" in body
