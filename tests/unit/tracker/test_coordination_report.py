"""Phối hợp trễ: letter 1's "không phối hợp, không trả lời hoặc trả lời chậm", counted per unit in the
report (``GET /reports/on-time``, its CSV) and shown on the dashboard's per-unit figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.tracker.dashboard import views
from services.tracker.dashboard.render import render
from services.tracker.reports import REPORT_COLUMNS, as_csv, coordination_late, on_time_report

NOW = datetime(2024, 2, 20, 10, tzinfo=UTC)
NAMES = {"QLCN": "Phòng Quản lý Công nghiệp", "QLTM": "Phòng Quản lý Thương mại",
         "TTRA": "Thanh tra Sở"}


def _a(unit: str, role: str, status: str, due: timedelta, on_time: bool | None = None) -> dict[str, Any]:
    return {"dispatch_id": f"d-{unit}-{status}-{due.days}", "unit_code": unit, "role": role,
            "status": status, "due_at": NOW + due, "assigned_at": NOW - timedelta(days=10),
            "completed_on_time": on_time}


ROWS = [
    _a("QLCN", "lead", "received", timedelta(days=-2)),                       # the lead, late: not a part
    _a("QLTM", "coordinating", "acknowledged", timedelta(days=-1)),           # no reply yet, past due
    _a("QLTM", "coordinating", "completed", timedelta(days=-3), on_time=False),  # replied late
    _a("QLTM", "coordinating", "completed", timedelta(days=-4), on_time=True),   # replied in time
    _a("TTRA", "coordinating", "received", timedelta(days=1)),                # not yet due
    _a("TTRA", "coordinating", "declined", timedelta(days=-1)),               # closed otherwise
]


def test_late_parts_are_counted_per_unit() -> None:
    assert coordination_late(ROWS, NOW) == {"QLTM": 2}


def test_the_report_has_a_phoi_hop_tre_column_beside_the_on_time_figures() -> None:
    report = {r["unit_code"]: r for r in on_time_report(ROWS, NOW)}
    assert {u: r["coordination_late"] for u, r in report.items()} == {"QLCN": 0, "QLTM": 2, "TTRA": 0}
    assert report["QLTM"]["on_time_rate"] == round(1 / 3, 3)  # the rate's definition is unchanged
    lines = as_csv(list(report.values())).splitlines()
    assert lines[0].split(",") == list(REPORT_COLUMNS) and lines[0].endswith(",coordination_late")
    assert lines[2].startswith("QLTM,") and lines[2].endswith(",2")


def test_the_dashboard_shows_it_for_every_unit() -> None:
    bars = {b.unit_code: b for b in views.rate_bars(ROWS, NOW, 30, NAMES)}
    assert {u: b.coordination_late for u, b in bars.items()} == {"QLCN": 0, "QLTM": 2, "TTRA": 0}
    page = render("overview.html.j2", {
        "who": "director", "csrf": "c", "now": "09:00 20/02/2024", "refresh": 15, "units": NAMES,
        "days": 30, "cards": [], "bars": list(bars.values())}).body.decode()
    assert page.count('class="coordination-late"') == 3
    assert "phối hợp trễ 2" in page
