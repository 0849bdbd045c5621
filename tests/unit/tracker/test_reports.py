"""Matrix, worklist and on-time report from assignment documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.tracker.reports import as_csv, broadcast_matrix, on_time_report, worklist

NOW = datetime(2024, 2, 20, 12, tzinfo=UTC)
DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)


def _a(unit: str, status: str, on_time: bool | None = None, due: datetime = DUE) -> dict[str, Any]:
    return {"dispatch_id": "d", "unit_code": unit, "status": status, "due_at": due,
            "completed_on_time": on_time, "role": "lead"}


ROWS = [_a("VP", "completed", True), _a("QLTM", "completed", False), _a("TTRA", "received"),
        _a("QLNL", "in_progress", due=NOW + timedelta(days=1)), _a("QLCN", "declined")]


def test_matrix_tells_on_time_late_overdue_pending() -> None:
    replies = {row["unit_code"]: row["reply"] for row in broadcast_matrix(ROWS, NOW)}
    assert replies == {"VP": "on_time", "QLTM": "late", "TTRA": "overdue", "QLNL": "pending",
                       "QLCN": "declined"}


def test_on_time_report_counts_per_unit() -> None:
    report = {r["unit_code"]: r for r in on_time_report([*ROWS, _a("VP", "received")], NOW)}
    assert report["VP"]["received"] == 2 and report["VP"]["completed_on_time"] == 1
    assert report["VP"]["open_overdue"] == 1 and report["VP"]["on_time_rate"] == 0.5
    assert report["QLTM"]["on_time_rate"] == 0.0 and report["QLNL"]["on_time_rate"] is None
    csv_text = as_csv(list(report.values()))
    assert csv_text.splitlines()[0].startswith("unit_code,received,completed_on_time")
    assert len(csv_text.splitlines()) == 1 + len(report)


def test_worklist_lists_open_items_most_urgent_first() -> None:
    rows = worklist(ROWS, NOW, timedelta(days=2))
    assert [(r["flag"]) for r in rows] == ["overdue", "due_soon"]
