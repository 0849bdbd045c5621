"""What the desk shows, in words: deadlines in working days, and the work lists. Pure: no I/O.

A deadline is told in working days (:mod:`shared.workdays`) from today's date in Vietnam:
"còn 2 ngày làm việc", "hạn cuối hôm nay", "quá hạn 1 ngày làm việc" (or "quá hạn hôm nay" when it
passed earlier today); the moment itself is worded by :mod:`shared.wording` like everywhere else.
The lists are ordered as :func:`services.tracker.reports.worklist` orders a unit's work: the
earliest deadline first, so the most overdue comes first, then what is due soonest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.tracker import reports
from services.tracker.dashboard import labels
from services.tracker.dashboard.views import is_open
from services.tracker.people import Handover, Person
from shared.assignments import assignment_id
from shared.workdays import WorkCalendar

Doc = dict[str, Any]
SOON = timedelta(days=3)
"""'Due soon' on the desk: within three days."""


def deadline_words(due_at: datetime, now: datetime, calendar: WorkCalendar) -> str:
    """How far the deadline is, in working days, from ``now``."""
    if now < due_at:
        left = calendar.working_days_between(now, due_at)
        return "hạn cuối hôm nay" if left <= 0 else f"còn {left} ngày làm việc"
    late = calendar.working_days_between(due_at, now)
    return "quá hạn hôm nay" if late <= 0 else f"quá hạn {late} ngày làm việc"


@dataclass(frozen=True)
class WorkItem:
    """One open assignment on a person's desk."""

    dispatch_id: str
    subject: str
    unit_code: str
    unit_name: str
    role: str
    status: str
    due: str
    deadline: str
    flag: str
    handled_by: str
    number: str = ""
    """'Số 12/SCT-VP' when the dispatch has a number or notation."""
    urgency: str = ""
    """The dispatch's độ khẩn badge ('HỎA TỐC'…), '' when none (issue 19)."""


def reference(head: Mapping[str, Any]) -> str:
    """'Số 12/SCT-VP', 'Số 12' or '' from a dispatch's number and notation."""
    parts = [str(head[k]).strip() for k in ("number", "notation") if head.get(k)]
    return f"Số {'/'.join(p.lstrip('/') for p in parts)}" if parts else ""


def work_items(assignments: list[Doc], heads: Mapping[str, Doc],
               handovers: Mapping[str, Handover], names: Mapping[str, str],
               people: Mapping[str, str], now: datetime, calendar: WorkCalendar) -> list[WorkItem]:
    """Open assignments (of one unit or several), most urgent first: by deadline, then by độ khẩn
    (hỏa tốc, thượng khẩn, khẩn) when deadlines tie; each with its deadline in words and who in
    the unit handles it (``handovers`` by assignment id; ``people``: login → name).
    """
    by_unit: dict[str, list[Doc]] = {}
    for a in assignments:
        by_unit.setdefault(str(a["unit_code"]), []).append(a)
    rows = [(unit, row) for unit, group in by_unit.items()
            for row in reports.worklist(group, now, SOON)]
    items = []
    def urgency(dispatch_id: str) -> Any:
        return (heads.get(dispatch_id) or {}).get("urgency")

    for unit, row in sorted(rows, key=lambda r: (
            r[1]["due_at"], labels.urgency_rank(urgency(r[1]["dispatch_id"])), r[0])):
        handover = handovers.get(assignment_id(row["dispatch_id"], unit))
        head = heads.get(row["dispatch_id"]) or {}
        items.append(WorkItem(
            dispatch_id=row["dispatch_id"], number=reference(head),
            urgency=labels.urgency_badge(head.get("urgency")),
            subject=head.get("subject") or "(chưa có trích yếu)",
            unit_code=unit, unit_name=names.get(unit, unit),
            role=labels.ROLE.get(row.get("role") or "", "—"),
            status=labels.status_text(row["status"]), due=labels.when(row["due_at"]),
            deadline=deadline_words(row["due_at"], now, calendar), flag=row["flag"],
            handled_by=people.get(handover.staff_login, handover.staff_login) if handover else ""))
    return items


def split_mine(items: Iterable[WorkItem], mine: set[str]) -> tuple[list[WorkItem], list[WorkItem]]:
    """(handed to me, the rest), each keeping the order (``mine``: dispatch ids handed to me)."""
    items = list(items)
    return ([i for i in items if i.dispatch_id in mine],
            [i for i in items if i.dispatch_id not in mine])


@dataclass(frozen=True)
class Holder:
    """A unit holding the dispatch, its role and where it stands."""

    unit_code: str
    unit_name: str
    role: str
    status: str
    due: str
    deadline: str
    handled_by: str
    own: bool
    overdue: bool = False


def holders(assignments: Iterable[Doc], me: Person, names: Mapping[str, str],
            handover: Handover | None, people: Mapping[str, str], now: datetime,
            calendar: WorkCalendar) -> list[Holder]:
    """Who holds the dispatch: the lead (chủ trì) first, then the coordinating units (phối hợp)."""
    rows = []
    for a in sorted(assignments, key=lambda a: (a.get("role") != "lead", a["unit_code"])):
        own = a["unit_code"] == me.unit_code
        who = handover.staff_login if own and handover else ""
        closed = not is_open(a)
        rows.append(Holder(
            a["unit_code"], names.get(a["unit_code"], a["unit_code"]),
            labels.ROLE.get(a.get("role") or "", "—"), labels.status_text(a["status"]),
            labels.when(a["due_at"]), "" if closed else deadline_words(a["due_at"], now, calendar),
            people.get(who, who), own, not closed and a["due_at"] <= now))
    return rows
