"""Figures for leadership and units, computed from assignment documents. Pure.

FerretDB v1's ``$group`` knows only ``$sum`` and ``$count``, so the tracker reads the few fields it
needs and counts here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from services.tracker.ladder import CLOSED, Status
from shared.on_time import AssignmentFacts, on_time_by_unit, outcome
from shared.safe_text import spreadsheet_cell

Doc = dict[str, Any]
REPORT_COLUMNS = ("unit_code", "received", "completed_on_time", "completed_late", "open_overdue",
                  "open", "extended", "on_time_rate", "coordination_late")
"""``coordination_late`` (phối hợp trễ): the unit's coordinating parts (phối hợp) not sent to the lead
unit by their deadline, or sent after it — letter 1's "không phối hợp, không trả lời hoặc trả lời
chậm"; it is not part of the on-time rate's definition, only shown beside it."""


def reply_state(assignment: Doc, now: datetime) -> str:
    """One word for a matrix cell: on_time, late, overdue, pending, or the closing status."""
    state = outcome(facts(assignment), now)
    return str(assignment["status"]) if state == "closed" else state


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


def facts(assignment: Doc) -> AssignmentFacts:
    """What the on-time rate (:mod:`shared.on_time`) needs to know about an assignment document."""
    status = Status(assignment["status"])
    done = bool(assignment.get("completed_on_time")) if status is Status.COMPLETED else None
    return AssignmentFacts(assignment["unit_code"], assignment["due_at"], status not in CLOSED, done,
                           extended=bool(assignment.get("extensions")))


def coordination_late(assignments: list[Doc], now: datetime) -> dict[str, int]:
    """Per unit, its coordinating parts late at ``now``: completed after their deadline, or open
    past it (units with none are left out)."""
    counts: dict[str, int] = {}
    for a in assignments:
        if a.get("role") == "coordinating" and outcome(facts(a), now) in ("late", "overdue"):
            counts[a["unit_code"]] = counts.get(a["unit_code"], 0) + 1
    return counts


def on_time_report(assignments: list[Doc], now: datetime) -> list[Doc]:
    """Per unit: received, completed on time, completed late, open overdue, open, extended (xin gia
    hạn approved; every count is against the approved deadline), on-time rate (the one definition,
    :mod:`shared.on_time`), over the assignments given (the window's), and its coordinating parts
    late (``coordination_late``)."""
    late = coordination_late(assignments, now)
    return [{**row.as_dict(), "coordination_late": late.get(row.unit_code, 0)}
            for row in on_time_by_unit(map(facts, assignments), now)]


def digest_figures(open_rows: list[Doc], window_rows: list[Doc], heads: Mapping[str, Doc],
                   now: datetime) -> Doc:
    """The answer of ``GET /reports/digest``: the open assignments (with their dispatch's subject,
    number and notation) and the per-unit on-time rows over ``window_rows``, the assignments made
    in the window: the same rows as ``GET /reports/on-time`` over the same window."""
    return {
        "now": now,
        "open": [{"dispatch_id": a["dispatch_id"], "unit_code": a["unit_code"], "due_at": a["due_at"],
                  **{k: (heads.get(a["dispatch_id"]) or {}).get(k)
                     for k in ("subject", "number", "notation")}}
                 for a in open_rows],
        "on_time": on_time_report(window_rows, now)}


def as_csv(rows: list[Doc]) -> str:
    """The report as CSV with a header line. Text cells are one clean line, and a cell a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``…) starts with ``'``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
