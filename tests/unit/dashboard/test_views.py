"""Overview figures, on-time bars, overdue list and worklist: the same definitions as the JSON API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.tracker.dashboard import views
from services.tracker.reports import on_time_report, worklist

NOW = datetime(2024, 2, 20, 10, tzinfo=UTC)
NAMES = {"VP": "Văn phòng", "TTRA": "Thanh tra Sở", "QLTM": "Phòng Quản lý Thương mại"}


def _a(dispatch: str, unit: str, status: str, due: timedelta, *, on_time: bool | None = None,
       assigned: timedelta = timedelta(days=-10)) -> dict[str, Any]:
    return {"dispatch_id": dispatch, "unit_code": unit, "status": status, "role": "lead",
            "due_at": NOW + due, "assigned_at": NOW + assigned, "completed_on_time": on_time}


ROWS = [
    _a("d1", "VP", "completed", timedelta(days=-3), on_time=True),
    _a("d1", "TTRA", "received", timedelta(days=-3)),                  # overdue 3 days
    _a("d2", "TTRA", "acknowledged", timedelta(0)),                     # due right now: overdue
    _a("d3", "QLTM", "in_progress", timedelta(days=7)),                # due in exactly 7 days
    _a("d4", "QLTM", "received", timedelta(days=7, seconds=1)),        # just beyond the week
    _a("d5", "VP", "transferred", timedelta(days=-5)),                 # closed: not open
    _a("d6", "QLTM", "completed", timedelta(days=-1), on_time=False),
    _a("d7", "VP", "received", timedelta(days=-1), assigned=timedelta(days=-45)),
]


def test_cards_count_open_due_this_week_overdue_and_disputed() -> None:
    cards = {c.key: c for c in views.cards(ROWS, disputed=2, handoffs={"d5": 2, "d9": 1}, now=NOW,
                                           failed=4)}
    assert {k: c.value for k, c in cards.items()} == {"open": 5, "due_week": 1, "overdue": 3,
                                                       "disputed": 2, "failed": 4}
    assert cards["failed"].label == "Thông báo gửi thất bại"
    assert cards["failed"].href == "/dashboard/notifications/failed"
    assert "1 văn bản bị từ chối/chuyển từ 2 lần" in cards["disputed"].hint


def test_cards_agree_with_the_on_time_report_of_the_json_api() -> None:
    report = on_time_report(ROWS, NOW)
    cards = {c.key: c.value for c in views.cards(ROWS, 0, {}, NOW)}
    assert cards["open"] == sum(r["open"] for r in report)
    assert cards["overdue"] == sum(r["open_overdue"] for r in report)


def test_bars_cover_every_unit_over_the_window_only() -> None:
    bars = {b.unit_code: b for b in views.rate_bars(ROWS, NOW, 30, NAMES)}
    assert list(bars) == ["VP", "TTRA", "QLTM"]
    assert (bars["VP"].rate, bars["VP"].width, bars["VP"].text) == (1.0, 100, "100%")  # d7: 45 days
    assert (bars["TTRA"].rate, bars["TTRA"].text, bars["TTRA"].overdue) == (0.0, "0%", 2)
    assert bars["QLTM"].late == 1 and bars["QLTM"].received == 3
    assert views.rate_bars(ROWS, NOW, 90, NAMES)[0].rate == 0.5  # d7 counts over 90 days


def test_a_unit_with_nothing_due_has_no_rate_rather_than_zero() -> None:
    bars = views.rate_bars([_a("d", "QLTM", "received", timedelta(days=3))], NOW, 30,
                           {"VP": "Văn phòng", "QLTM": "QLTM"})
    assert [(b.unit_code, b.rate, b.text, b.width) for b in bars] == [
        ("VP", None, "chưa có", 0), ("QLTM", None, "chưa có", 0)]


def test_unknown_units_are_listed_after_the_organisation() -> None:
    bars = views.rate_bars([_a("d", "XYZ", "completed", timedelta(-1), on_time=True)], NOW, 30,
                           NAMES)
    assert [b.unit_code for b in bars] == ["VP", "TTRA", "QLTM", "XYZ"]


def test_overdue_list_sorts_by_days_late_or_by_unit() -> None:
    heads = {"d1": {"subject": "V/v tổng kết CCHC"}}
    rows = views.overdue_rows(ROWS, heads, NAMES, NOW)
    assert [r.late for r in rows] == sorted((r.late for r in rows), reverse=True)
    assert [r.dispatch_id for r in rows] == ["d1", "d7", "d2"]
    assert rows[0].late_text == "3 ngày" and rows[0].subject == "V/v tổng kết CCHC"
    assert rows[1].subject == "(chưa có trích yếu)" and rows[2].late_text == "vừa quá hạn"
    ascending = views.overdue_rows(ROWS, heads, NAMES, NOW, descending=False)
    assert [r.dispatch_id for r in ascending] == ["d2", "d7", "d1"]
    by_unit = views.overdue_rows(ROWS, heads, NAMES, NOW, sort="unit", descending=False)
    assert [(r.unit_code, r.dispatch_id) for r in by_unit] == [("TTRA", "d1"), ("TTRA", "d2"),
                                                               ("VP", "d7")]


def test_worklist_rows_follow_the_api_worklist() -> None:
    mine = [a for a in ROWS if a["unit_code"] == "QLTM"]
    rows = views.worklist_rows(mine, {}, NAMES, NOW)
    api = worklist(mine, NOW, views.SOON)
    assert [(r.dispatch_id, r.flag) for r in rows] == [(w["dispatch_id"], w["flag"]) for w in api]
    assert [r.flag_text for r in rows] == ["Sắp đến hạn", "Còn hạn"]
