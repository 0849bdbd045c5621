"""Reports count on time against the approved deadline and show how many deadlines were extended
(the one on-time rate, :mod:`shared.on_time`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.tracker.reports import REPORT_COLUMNS, as_csv, on_time_report
from shared.on_time import UnitOnTime

OLD = datetime(2024, 2, 16, 10, tzinfo=UTC)
NEW = datetime(2024, 2, 21, 10, tzinfo=UTC)
NOW = datetime(2024, 2, 19, 3, tzinfo=UTC)  # past the old deadline, before the new one


def _row(unit: str, status: str, due_at: datetime, extensions: int = 0,
         completed_on_time: bool | None = None) -> dict[str, object]:
    return {"unit_code": unit, "status": status, "due_at": due_at, "extensions": extensions,
            "completed_on_time": completed_on_time, "role": "lead"}


def test_an_extended_assignment_counts_against_its_approved_deadline() -> None:
    rows = [
        _row("QLTM", "completed", NEW, 1, completed_on_time=True),  # done after OLD, before NEW
        _row("QLTM", "in_progress", NEW, 1),  # past OLD, not overdue: its deadline is NEW
        _row("QLTM", "in_progress", OLD),  # not extended: overdue
        _row("VP", "completed", OLD, completed_on_time=False),
    ]
    report = {r["unit_code"]: r for r in on_time_report(rows, NOW)}
    qltm = report["QLTM"]
    assert (qltm["received"], qltm["completed_on_time"], qltm["open_overdue"], qltm["open"],
            qltm["extended"]) == (3, 1, 1, 2, 2)
    assert qltm["on_time_rate"] == 0.5  # 1 on time ÷ (1 + 1 overdue): the extensions are no excuse
    assert report["VP"]["extended"] == 0
    assert on_time_report([_row("QLTM", "in_progress", NEW, 1)], NEW + timedelta(seconds=1))[0][
        "open_overdue"] == 1  # and the approved deadline binds like any other


def test_the_extended_count_is_a_report_column_and_survives_the_digest() -> None:
    rows = on_time_report([_row("QLTM", "in_progress", NEW, 1)], NOW)
    header, line = as_csv(rows).splitlines()
    assert "extended" in REPORT_COLUMNS
    assert dict(zip(header.split(","), line.split(","), strict=True))["extended"] == "1"
    assert UnitOnTime.from_dict(rows[0]).extended == 1  # the notifier's digest reads the row back
