"""Figures for leadership and units, computed from assignment documents. Pure.

FerretDB v1's ``$group`` knows only ``$sum`` and ``$count``, so the tracker reads the few fields it
needs and counts here.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from services.tracker.ladder import CLOSED, Status
from shared.safe_text import spreadsheet_cell

Doc = dict[str, Any]
REPORT_COLUMNS = ("unit_code", "received", "completed_on_time", "completed_late", "open_overdue",
                  "open", "on_time_rate")


def reply_state(assignment: Doc, now: datetime) -> str:
    """One word for a matrix cell: on_time, late, overdue, pending, or the closing status."""
    status = Status(assignment["status"])
    if status is Status.COMPLETED:
        return "on_time" if assignment.get("completed_on_time") else "late"
    if status in CLOSED:
        return status.value
    return "overdue" if assignment["due_at"] <= now else "pending"


def broadcast_matrix(assignments: list[Doc], now: datetime) -> list[Doc]:
    """Units × status of one dispatch: which replied on time, late, not yet."""
    return sorted(({"unit_code": a["unit_code"], "role": a.get("role"), "status": a["status"],
                    "due_at": a["due_at"], "completed_at": a.get("completed_at"),
                    "reply": reply_state(a, now)} for a in assignments),
                  key=lambda row: row["unit_code"])


def worklist(assignments: list[Doc], now: datetime, soon: timedelta) -> list[Doc]:
    """A unit's open assignments, each flagged overdue / due_soon / open, most urgent first."""
    rows = []
    for a in assignments:
        if Status(a["status"]) in CLOSED:
            continue
        flag = "overdue" if a["due_at"] <= now else "due_soon" if a["due_at"] <= now + soon \
            else "open"
        rows.append({"dispatch_id": a["dispatch_id"], "status": a["status"], "role": a.get("role"),
                     "task": a.get("task"), "due_at": a["due_at"], "flag": flag})
    return sorted(rows, key=lambda row: row["due_at"])


def on_time_report(assignments: list[Doc], now: datetime) -> list[Doc]:
    """Per unit: received, completed on time, completed late, open overdue, on-time rate."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in assignments:
        row = counts[a["unit_code"]]
        row["received"] += 1
        state = reply_state(a, now)
        if state == "on_time":
            row["completed_on_time"] += 1
        elif state == "late":
            row["completed_late"] += 1
        elif state == "overdue":
            row["open_overdue"] += 1
        if Status(a["status"]) not in CLOSED:
            row["open"] += 1
    report = []
    for unit, row in sorted(counts.items()):
        completed = row["completed_on_time"] + row["completed_late"]
        due = completed + row["open_overdue"]
        rate = round(row["completed_on_time"] / due, 3) if due else None
        report.append({"unit_code": unit, **{c: row[c] for c in REPORT_COLUMNS[1:-1]},
                       "on_time_rate": rate})
    return report


def as_csv(rows: list[Doc]) -> str:
    """The report as CSV with a header line. Text cells are one clean line, and a cell a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``…) starts with ``'``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
