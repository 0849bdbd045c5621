"""View models of the overview, the overdue list and a unit's worklist. Pure: documents in, rows out.

The figures use the tracker's own definitions (``services.tracker.reports``): an assignment is
*open* until completed, declined, transferred or cancelled; *overdue* when open and its deadline
has passed. The on-time rate is the one definition of :mod:`shared.on_time` — completed on time ÷
(completed + open overdue), per unit, over the assignments made in the last N days — so the
dashboard, ``GET /reports/on-time`` and the leadership digest always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.tracker import reports
from services.tracker.dashboard import labels
from services.tracker.dashboard.labels import status_text
from services.tracker.ladder import CLOSED, Status
from shared.on_time import UnitOnTime, on_time_by_unit

Doc = dict[str, Any]
SOON = timedelta(days=7)
"""'Due this week': open, not yet overdue, due within seven days."""
BOUNCE_THRESHOLD = 2
"""A dispatch declined or transferred this many times is shown as passed around (đùn đẩy)."""


@dataclass(frozen=True)
class Card:
    """One figure on the overview."""

    key: str
    label: str
    value: int
    hint: str
    href: str = "#ontime"


@dataclass(frozen=True)
class Bar:
    """One unit's on-time rate in the chart."""

    unit_code: str
    unit_name: str
    rate: float | None
    text: str
    width: int
    received: int
    on_time: int
    late: int
    overdue: int
    coordination_late: int = 0
    """Phối hợp trễ: coordinating parts not sent to the lead unit in time (reports.coordination_late)."""


@dataclass(frozen=True)
class Row:
    """One open assignment in the overdue list or a worklist."""

    dispatch_id: str
    subject: str
    unit_code: str
    unit_name: str
    role: str
    status: str
    due: str
    flag: str
    flag_text: str
    late: timedelta
    late_text: str
    urgency: str = ""
    """The dispatch's độ khẩn badge ('HỎA TỐC'…), '' when none (issue 19)."""


def is_open(assignment: Doc) -> bool:
    """Not completed, declined, transferred or cancelled."""
    return Status(assignment["status"]) not in CLOSED


def bounced(handoffs: Mapping[str, int], threshold: int = BOUNCE_THRESHOLD) -> int:
    """How many dispatches were declined or transferred at least ``threshold`` times.

    Counted from the units' applied responses (the timeline), not from assignment statuses: a
    reassignment may close the previous unit's assignment as cancelled before its response lands.
    """
    return sum(1 for n in handoffs.values() if n >= threshold)


def cards(assignments: list[Doc], disputed: int, handoffs: Mapping[str, int],
          now: datetime, failed: int = 0) -> list[Card]:
    """Open, due this week, overdue (assignments), disputed (dispatches the tracker marked) and
    notifications the notifier gave up on."""
    open_ = [a for a in assignments if is_open(a)]
    overdue = sum(1 for a in open_ if a["due_at"] <= now)
    soon = sum(1 for a in open_ if now < a["due_at"] <= now + SOON)
    passed = bounced(handoffs)
    return [
        Card("open", "Việc đang mở", len(open_), "lượt giao cho đơn vị chưa hoàn thành"),
        Card("due_week", "Đến hạn trong 7 ngày", soon, "còn hạn, hạn xử lý trong 7 ngày tới"),
        Card("overdue", "Quá hạn", overdue, "đã quá hạn xử lý mà chưa hoàn thành",
             "/dashboard/overdue"),
        Card("disputed", "Đùn đẩy, chờ lãnh đạo", disputed,
             f"văn bản bị chuyển qua lại, đã trình lãnh đạo; {passed} văn bản bị từ chối/chuyển "
             f"từ {BOUNCE_THRESHOLD} lần"),
        Card("failed", "Thông báo gửi thất bại", failed,
             "nhắc việc, báo quá hạn không gửi được, đã ghi lý do", "/dashboard/notifications/failed"),
    ]


def rate_bars(assignments: list[Doc], now: datetime, days: int,
              unit_names: Mapping[str, str]) -> list[Bar]:
    """Per unit, the on-time rate over assignments made in the last ``days`` (every known unit)."""
    since = now - timedelta(days=days)
    recent = [a for a in assignments if a.get("assigned_at") is not None and a["assigned_at"] >= since]
    rows = {u.unit_code: u for u in on_time_by_unit(map(reports.facts, recent), now)}
    late_parts = reports.coordination_late(recent, now)
    bars = []
    for code in [*unit_names, *sorted(set(rows) - set(unit_names))]:
        row = rows.get(code) or UnitOnTime(code)
        rate = row.on_time_rate
        bars.append(Bar(code, unit_names.get(code, code), rate, labels.percent(rate),
                        0 if rate is None else round(rate * 100), row.received,
                        row.completed_on_time, row.completed_late, row.open_overdue,
                        late_parts.get(code, 0)))
    return bars


def _row(a: Doc, heads: Mapping[str, Doc], names: Mapping[str, str], now: datetime,
         flag: str) -> Row:
    late = now - a["due_at"] if a["due_at"] <= now else timedelta(0)
    head = heads.get(a["dispatch_id"]) or {}
    subject = head.get("subject") or "(chưa có trích yếu)"
    return Row(a["dispatch_id"], subject, a["unit_code"], names.get(a["unit_code"], a["unit_code"]),
               labels.ROLE.get(a.get("role") or "", "—"), status_text(a["status"]),
               labels.when(a["due_at"]), flag, labels.FLAG.get(flag, flag), late,
               labels.days_late(late) if flag == "overdue" else "",
               labels.urgency_badge(head.get("urgency")))


def overdue_rows(assignments: Iterable[Doc], heads: Mapping[str, Doc], names: Mapping[str, str],
                 now: datetime, sort: str = "days", descending: bool = True) -> list[Row]:
    """Open assignments past their deadline, by days late (or by unit, then days late)."""
    rows = [_row(a, heads, names, now, "overdue") for a in assignments
            if is_open(a) and a["due_at"] <= now]
    if sort == "unit":
        rows.sort(key=lambda r: r.late, reverse=True)
        return sorted(rows, key=lambda r: r.unit_code, reverse=descending)
    return sorted(rows, key=lambda r: (r.late, r.unit_code), reverse=descending)


def worklist_rows(assignments: list[Doc], heads: Mapping[str, Doc], names: Mapping[str, str],
                  now: datetime, soon: timedelta = SOON) -> list[Row]:
    """One unit's open assignments, earliest deadline first, flagged as ``reports.worklist`` does."""
    by_dispatch = {a["dispatch_id"]: a for a in assignments}
    return [_row(by_dispatch[item["dispatch_id"]], heads, names, now, item["flag"])
            for item in reports.worklist(assignments, now, soon)]
