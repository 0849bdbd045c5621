"""Blockers (phản ánh vướng mắc) and leadership's directions (ý kiến chỉ đạo), issue 16. Pure: no I/O.

A unit reports a blocker on its own open assignment, with a note; it waits, open, until leadership
gives a direction, which closes it. The rules here decide who may report and whether a direction is
still possible (the routes answer 403/404/409 with the reason given here); the wait from report to
direction is told in working days, or in hours within a working day (:mod:`shared.workdays`), and
every moment is worded by :mod:`shared.wording`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from services.tracker.records import AssignmentRecord
from shared.wording import at_time
from shared.workdays import WorkCalendar

Doc = dict[str, Any]
NOTE_MAX = 4000


class BlockerStatus(StrEnum):
    """Open: waiting for a direction; directed: leadership answered (closed)."""

    OPEN = "open"
    DIRECTED = "directed"


@dataclass(frozen=True)
class Blocker:
    """One blocker of one unit on one dispatch (``id`` = ``blocker_id``)."""

    id: str
    dispatch_id: str
    unit_code: str
    note: str
    reported_by: str
    reported_at: datetime
    reported_by_name: str | None = None
    status: BlockerStatus = BlockerStatus.OPEN
    direction: str | None = None
    directed_by: str | None = None
    directed_at: datetime | None = None

    @property
    def closed(self) -> bool:
        """Whether leadership has already answered."""
        return self.status is not BlockerStatus.OPEN

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Blocker:
        """The blocker of a stored document."""
        return cls(id=str(doc["_id"]), dispatch_id=str(doc["dispatch_id"]),
                   unit_code=str(doc["unit_code"]), note=str(doc["note"]),
                   reported_by=str(doc["reported_by"]), reported_at=doc["reported_at"],
                   reported_by_name=doc.get("reported_by_name"),
                   status=BlockerStatus(doc.get("status") or "open"),
                   direction=doc.get("direction"), directed_by=doc.get("directed_by"),
                   directed_at=doc.get("directed_at"))

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.id, "dispatch_id": self.dispatch_id, "unit_code": self.unit_code,
                "note": self.note, "reported_by": self.reported_by,
                "reported_by_name": self.reported_by_name, "reported_at": self.reported_at,
                "status": self.status.value, "direction": self.direction,
                "directed_by": self.directed_by, "directed_at": self.directed_at}

    def directed(self, direction: str, by: str, at: datetime) -> Blocker:
        """This blocker answered with ``direction``."""
        return replace(self, status=BlockerStatus.DIRECTED, direction=direction, directed_by=by,
                       directed_at=at)


@dataclass(frozen=True)
class Refusal:
    """Why a request about a blocker is refused: the HTTP status and the reason, in words."""

    status: int
    reason: str


def note_problem(note: str) -> str | None:
    """Why a blocker's note (or a direction) is refused, in words, or None."""
    if not note.strip():
        return "cần nêu nội dung"
    if len(note) > NOTE_MAX:
        return f"nội dung dài quá {NOTE_MAX} ký tự"
    return None


def report_refusal(caller_unit: str | None, unit_code: str,
                   assignment: AssignmentRecord | None) -> Refusal | None:
    """Why the caller may not report a blocker on ``unit_code``'s assignment, or None: only the
    unit itself (its token or its people), on an assignment it holds and has not finished."""
    if caller_unit != unit_code:
        return Refusal(403, f"chỉ đơn vị {unit_code} mới được phản ánh vướng mắc của đơn vị này")
    if assignment is None:
        return Refusal(404, f"đơn vị {unit_code} không được giao văn bản này")
    if assignment.closed:
        return Refusal(409, "việc của đơn vị đã kết thúc (hoàn thành, từ chối, chuyển hoặc hủy); "
                            "không phản ánh vướng mắc được nữa")
    return None


def direction_refusal(blocker: Blocker | None) -> Refusal | None:
    """Why a direction on ``blocker`` is refused, or None: it must exist and still be open."""
    if blocker is None:
        return Refusal(404, "không có vướng mắc này")
    if blocker.closed:
        when = at_time(blocker.directed_at) if blocker.directed_at else "trước đó"
        return Refusal(409, f"vướng mắc này đã có ý kiến chỉ đạo của {blocker.directed_by} lúc "
                            f"{when}; không chỉ đạo lại được")
    return None


def waiting_words(start: datetime, end: datetime, calendar: WorkCalendar) -> str:
    """How long a blocker waited (or has waited) from ``start`` to ``end``: under a day, in hours
    and minutes ("3 giờ 5 phút", even across midnight); from a day on, in working days ("2 ngày
    làm việc": a weekend or holiday in between does not count, and at least 1)."""
    if end - start >= timedelta(days=1):
        return f"{max(calendar.working_days_between(start, end), 1)} ngày làm việc"
    minutes = max(int((end - start).total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} giờ {minutes} phút"
    if hours:
        return f"{hours} giờ"
    return f"{minutes} phút" if minutes else "dưới 1 phút"


def waited(blocker: Blocker, now: datetime, calendar: WorkCalendar) -> tuple[float, str]:
    """(seconds, words) the blocker waited for its direction, or has waited so far if open."""
    end = blocker.directed_at if blocker.directed_at is not None else now
    return max((end - blocker.reported_at).total_seconds(), 0.0), waiting_words(
        blocker.reported_at, end, calendar)


def row(blocker: Blocker, now: datetime, calendar: WorkCalendar,
        names: Mapping[str, str] | None = None) -> Doc:
    """A blocker as the API and the pages show it: its fields, the wait and the moments in words."""
    seconds, words = waited(blocker, now, calendar)
    doc = blocker.as_doc()
    doc["blocker_id"] = doc.pop("_id")
    return {**doc, "unit_name": (names or {}).get(blocker.unit_code, blocker.unit_code),
            "waited_s": seconds, "waited_words": words,
            "reported_words": at_time(blocker.reported_at),
            "directed_words": at_time(blocker.directed_at) if blocker.directed_at else None}


def reported_words(details: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A ``blocker.reported`` timeline entry in words."""
    unit = str(details.get("unit_code") or "")
    who = details.get("reported_by_name") or details.get("reported_by") or unit
    return (f"{names.get(unit, unit)} ({unit}) phản ánh vướng mắc (người gửi: {who}): "
            f"«{details.get('note') or ''}»")


def directed_words(details: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A ``blocker.directed`` timeline entry in words."""
    unit = str(details.get("unit_code") or "")
    return (f"{details.get('directed_by') or 'Lãnh đạo Sở'} cho ý kiến chỉ đạo về vướng mắc của "
            f"{names.get(unit, unit)} ({unit}) sau {details.get('waited_words') or '—'}: "
            f"«{details.get('direction') or ''}»")
