"""One on-time rate: its definition (shared.on_time), and the dashboard's bars, ``GET /reports/on-time``
and the director's digest agreeing on the same assignments."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.encoders import jsonable_encoder

from services.notifier.digest import build_digest
from services.notifier.digest_job import digest_inputs
from services.tracker import reports
from services.tracker.dashboard import views
from shared.on_time import AssignmentFacts, UnitOnTime, on_time_by_unit, outcome, overall_rate, rate

NOW = datetime(2024, 2, 20, 10, tzinfo=UTC)
NAMES = {"VP": "Văn phòng", "TTRA": "Thanh tra Sở", "QLTM": "Phòng Quản lý Thương mại",
         "QLCN": "Phòng Quản lý Công nghiệp"}


def _a(n: int, unit: str, status: str, due_days: float, on_time: bool | None = None) -> dict[str, Any]:
    return {"dispatch_id": f"d{n}", "unit_code": unit, "status": status, "role": "lead",
            "due_at": NOW + timedelta(days=due_days), "assigned_at": NOW - timedelta(days=12),
            "completed_at": NOW - timedelta(days=1) if status == "completed" else None,
            "completed_on_time": on_time}


ROWS = [
    _a(1, "VP", "completed", -3, True), _a(2, "VP", "completed", -2, False),
    _a(3, "VP", "received", -1),                                     # open overdue
    _a(4, "TTRA", "completed", -4, True), _a(5, "TTRA", "declined", -4),  # declined: not counted
    _a(6, "QLTM", "in_progress", 5),                                 # not due yet: no figure
    _a(7, "QLCN", "completed", -5, False), _a(8, "QLCN", "acknowledged", -0.5),
    _a(9, "QLCN", "completed", -6, True),
]


def test_the_rate_is_on_time_over_on_time_late_and_open_overdue() -> None:
    assert rate(1, 1, 1) == 0.333 and rate(2, 0, 0) == 1.0 and rate(0, 0, 3) == 0.0
    assert rate(0, 0, 0) is None


def test_each_assignment_has_one_outcome() -> None:
    due = NOW - timedelta(hours=1)
    assert outcome(AssignmentFacts("VP", due, False, True), NOW) == "on_time"
    assert outcome(AssignmentFacts("VP", due, False, False), NOW) == "late"
    assert outcome(AssignmentFacts("VP", due, True), NOW) == "overdue"
    assert outcome(AssignmentFacts("VP", NOW, True), NOW) == "overdue"  # due right now
    assert outcome(AssignmentFacts("VP", NOW + timedelta(1), True), NOW) == "pending"
    assert outcome(AssignmentFacts("VP", due, False), NOW) == "closed"  # declined, transferred...


def test_units_are_counted_apart_and_overall_is_not_a_mean_of_rates() -> None:
    units = on_time_by_unit([AssignmentFacts("B", NOW, True), AssignmentFacts("A", NOW, False, True),
                             AssignmentFacts("A", NOW, False, True),
                             AssignmentFacts("B", NOW + timedelta(1), True)], NOW)
    assert [(u.unit_code, u.received, u.open, u.on_time_rate) for u in units] == [
        ("A", 2, 0, 1.0), ("B", 2, 2, 0.0)]
    assert overall_rate(units) == 0.667  # 2 of 3, where the mean of rates would say 0.5
    assert overall_rate([]) is None
    assert UnitOnTime.from_dict(units[1].as_dict()) == units[1]


def test_dashboard_report_and_digest_give_each_unit_the_same_rate() -> None:
    report = {r["unit_code"]: r["on_time_rate"] for r in reports.on_time_report(ROWS, NOW)}
    bars = {b.unit_code: b.rate for b in views.rate_bars(ROWS, NOW, 30, NAMES)}
    answer = json.loads(json.dumps(jsonable_encoder(reports.digest_figures(
        [a for a in ROWS if views.is_open(a)], ROWS, {}, NOW))))  # as GET /reports/digest sends it
    open_items, on_time = digest_inputs(answer)
    digest = build_digest(open_items, on_time, datetime.fromisoformat(answer["now"]), NAMES)
    mailed = {u.unit_code: u.on_time_rate for u in digest.units}

    assert report == {"VP": 0.333, "TTRA": 1.0, "QLTM": None, "QLCN": 0.333}
    assert bars == report
    assert mailed == {unit: r for unit, r in report.items() if r is not None}  # QLTM: nothing to say
    overall = overall_rate(UnitOnTime.from_dict(r) for r in reports.on_time_report(ROWS, NOW))
    assert digest.on_time_rate == overall == 0.429  # 3 on time of 7 counted
