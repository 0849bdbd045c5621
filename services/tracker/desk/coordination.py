"""What the lead unit (chủ trì) sees of its coordinating units (phối hợp) on the desk. Pure: no I/O.

A coordinating unit's part is due to the lead unit before the lead's own deadline (the router's
``coordination_lead_days``), and its reply goes to the lead: so the lead unit's page lists each part
with its deadline in words, whether it came in on time, late or not yet ("không phối hợp, không trả
lời hoặc trả lời chậm"), and the note and files sent with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.tracker import reports
from services.tracker.dashboard import labels
from services.tracker.desk.words import deadline_words
from services.tracker.people import Person
from shared.workdays import WorkCalendar

Doc = dict[str, Any]
STATE_WORDS = {
    "on_time": "đã gửi đúng hạn", "late": "đã gửi, trễ hạn", "overdue": "chưa gửi, đã quá hạn",
    "pending": "chưa gửi", "declined": "đã từ chối phối hợp", "transferred": "đã chuyển đơn vị khác",
    "cancelled": "không còn phối hợp",
}
"""A part's state (``reports.reply_state``) in words."""


@dataclass(frozen=True)
class Part:
    """One coordinating unit's part, as the lead unit sees it."""

    unit_code: str
    unit_name: str
    status: str
    due: str
    deadline: str
    """In working days ("còn 1 ngày làm việc", "quá hạn 2 ngày làm việc"); empty once it is in."""
    state: str
    state_text: str
    note: str
    files: tuple[str, ...]

    @property
    def late(self) -> bool:
        """Not sent by its deadline, or sent after it."""
        return self.state in ("late", "overdue")


def leads(person: Person, assignments: Iterable[Doc]) -> bool:
    """Whether ``person``'s unit leads (chủ trì) the dispatch of ``assignments``."""
    return any(a["unit_code"] == person.unit_code and a.get("role") == "lead" for a in assignments)


def parts(person: Person, assignments: list[Doc], replies: Iterable[Doc], names: Mapping[str, str],
          now: datetime, calendar: WorkCalendar) -> list[Part]:
    """The coordinating units' parts, earliest deadline first, when ``person``'s unit leads the
    dispatch; otherwise none (a coordinating unit does not see the others' replies)."""
    if not leads(person, assignments):
        return []
    files: dict[str, list[str]] = {}
    for reply in replies:
        files.setdefault(str(reply.get("unit_code")), []).append(str(reply.get("filename") or ""))
    rows = []
    for a in sorted((a for a in assignments if a.get("role") == "coordinating"),
                    key=lambda a: (a["due_at"], a["unit_code"])):
        state = reports.reply_state(a, now)
        code = str(a["unit_code"])
        rows.append(Part(
            code, names.get(code, code), labels.status_text(a["status"]), labels.when(a["due_at"]),
            deadline_words(a["due_at"], now, calendar) if state in ("pending", "overdue") else "",
            state, STATE_WORDS.get(state, labels.status_text(state)), str(a.get("reply_note") or ""),
            tuple(files.get(code, ()))))
    return rows
