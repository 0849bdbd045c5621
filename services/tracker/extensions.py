"""Deadline extensions (xin gia hạn): what may be asked and decided, and what an approval changes.
Pure: no I/O, the clock and the calendar are passed in.

- A unit asks, before its deadline, for a later date (in the future, after the current deadline),
  with a reason. One request waits at a time per assignment, and an assignment is extended at most
  ``cap`` times (``TRACKER_EXTENSION_CAP``, default 1).
- Leadership approves or refuses a pending request, once. A refusal changes nothing on the
  assignment.
- An approval moves the deadline and starts a new round of the assignment's deadline check, whose
  schedule holds only the signals still ahead at the decision: the old round's timers find nothing
  to fire (a round's signals are claimed under the round's id), and the overdue levels of the old
  deadline not yet reached never fire; those of the new deadline do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.tracker.records import AssignmentRecord, CheckRecord
from services.tracker.signals import schedule_for
from shared.assignments import assignment_id
from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar


class RequestStatus(StrEnum):
    """Where a request for a later deadline stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    LAPSED = "lapsed"
    """Not decidable any more: the assignment was closed (completed, moved) before the decision."""


STATUS_WORDS = {RequestStatus.PENDING: "chờ quyết định", RequestStatus.APPROVED: "đã đồng ý",
                RequestStatus.REFUSED: "không đồng ý", RequestStatus.LAPSED: "không còn hiệu lực"}


@dataclass(frozen=True)
class Refusal:
    """Why a request or a decision is not accepted: the HTTP status, the reason in words and the
    field at fault (``loc`` of a 422: where the field is, e.g. ``("body", "new_due_at")``)."""

    status: int
    reason: str
    loc: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentExtensions:
    """What the checks need to know of one assignment's extensions so far."""

    extended: int = 0
    """How many requests were approved."""
    pending: str | None = None
    """The id of the request waiting for a decision, if any."""
    original_due_at: datetime | None = None
    """The deadline before the first extension (None: never extended)."""
    last_extension_id: str | None = None
    """The request whose approval set the current deadline (a redelivered approval finds it)."""


@dataclass(frozen=True)
class ExtensionRequest:
    """One request for a later deadline (``id`` = the ``ExtensionRequested`` event's id)."""

    id: str
    dispatch_id: str
    unit_code: str
    current_due_at: datetime
    new_due_at: datetime
    reason: str
    requested_by: str
    requested_at: datetime
    status: RequestStatus = RequestStatus.PENDING
    subject: str | None = None
    role: str = "lead"
    decided_at: datetime | None = None
    decided_by: str | None = None
    note: str | None = None
    decision_id: str | None = None

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> ExtensionRequest:
        """The record of a stored request."""
        fields: dict[str, Any] = {k: doc.get(k) for k in cls.__dataclass_fields__ if k != "id"}
        fields["status"] = RequestStatus(doc.get("status") or RequestStatus.PENDING)
        return cls(id=str(doc["_id"]), **fields)

    def as_doc(self) -> dict[str, Any]:
        """The stored document (``assignment_id`` added for the lookups of one assignment)."""
        doc = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "id"}
        return {"_id": self.id, **doc, "status": self.status.value,
                "assignment_id": assignment_id(self.dispatch_id, self.unit_code)}


def words_of(moment: datetime) -> str:
    """A deadline as a person reads it: ``16/02/2024 17:00`` in Vietnam's time."""
    return moment.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M")


def check_request(assignment: AssignmentRecord, new_due_at: datetime, now: datetime,
                  so_far: AssignmentExtensions, cap: int) -> Refusal | None:
    """None when the unit may ask for ``new_due_at`` now, else why not."""
    if assignment.closed:
        return Refusal(409, f"nhiệm vụ đã kết thúc ({assignment.status.value}): "
                       "không còn gì để gia hạn")
    if now >= assignment.due_at:
        return Refusal(422, f"đã quá hạn xử lý ({words_of(assignment.due_at)}): chỉ xin gia hạn "
                       "được trước hạn", ("assignment", "due_at"))
    if so_far.extended >= cap:
        return Refusal(422, f"đã gia hạn {so_far.extended} lần, tối đa {cap} lần cho một nhiệm vụ",
                       ("assignment", "extensions"))
    if so_far.pending is not None:
        return Refusal(409, f"đã có đề nghị gia hạn {so_far.pending} đang chờ quyết định")
    return check_new_date(assignment, new_due_at, now)


def check_new_date(assignment: AssignmentRecord, new_due_at: datetime,
                   now: datetime) -> Refusal | None:
    """None when ``new_due_at`` is in the future and after the current deadline, else why not."""
    if new_due_at <= now:
        return Refusal(422, f"ngày xin gia hạn ({words_of(new_due_at)}) đã qua",
                       ("body", "new_due_at"))
    if new_due_at <= assignment.due_at:
        return Refusal(422, f"ngày xin gia hạn ({words_of(new_due_at)}) phải sau hạn hiện tại "
                       f"({words_of(assignment.due_at)})", ("body", "new_due_at"))
    return None


def check_decision(status: str, assignment: AssignmentRecord | None, new_due_at: datetime,
                   approve: bool, now: datetime) -> Refusal | None:
    """None when a request in ``status`` may be decided now (an approval also needs the assignment
    open and the date asked for still ahead), else why not."""
    if status != RequestStatus.PENDING:
        return Refusal(409, f"đề nghị này đã được quyết định ({STATUS_WORDS[RequestStatus(status)]})")
    if not approve:
        return None
    if assignment is None or assignment.closed:
        return Refusal(409, "nhiệm vụ đã kết thúc: không còn gì để gia hạn")
    if new_due_at <= now:
        return Refusal(422, f"ngày xin gia hạn ({words_of(new_due_at)}) đã qua: không thể đồng ý",
                       ("request", "new_due_at"))
    return None


def extended(assignment: AssignmentRecord, new_due_at: datetime, request_id: str,
             decided_at: datetime, calendar: WorkCalendar, approach_days: int,
             so_far: AssignmentExtensions) -> tuple[dict[str, Any], CheckRecord]:
    """(assignment fields, deadline check of the new round) of an approved extension."""
    round_ = assignment.round + 1
    fields = {"due_at": new_due_at, "round": round_, "extensions": so_far.extended + 1,
              "original_due_at": so_far.original_due_at or assignment.due_at,
              "last_extension_id": request_id, "extended_at": decided_at}
    return fields, round_check(assignment, new_due_at, round_, decided_at, calendar, approach_days)


def round_check(assignment: AssignmentRecord, due_at: datetime, round_: int, decided_at: datetime,
                calendar: WorkCalendar, approach_days: int) -> CheckRecord:
    """The deadline check of round ``round_`` for a deadline moved to ``due_at`` at ``decided_at``.

    Its schedule keeps only the signals after ``decided_at``: an acknowledgement deadline already
    past is not signalled again, and neither is a reminder whose moment is gone.
    """
    at = schedule_for(due_at, assignment.ack_due_at, calendar, approach_days).at
    return CheckRecord(id=assignment.id, dispatch_id=assignment.dispatch_id,
                       schedule={s: t for s, t in at.items() if t > decided_at}, round=round_,
                       unit_code=assignment.unit_code)


def timeline_words(entry: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """An ``extension.requested`` or ``extension.decided`` timeline entry in words."""
    unit = str(entry.get("unit_code") or "")
    who = f"{names.get(unit, unit)} ({unit})"
    dates = (f"từ {_words_or_dash(entry.get('current_due_at'))} đến "
             f"{_words_or_dash(entry.get('new_due_at'))}")
    if entry.get("event_type") == "extension.requested":
        text = (f"{who} xin gia hạn {dates} (người gửi: {entry.get('requested_by') or unit}): "
                f"«{entry.get('reason') or ''}»")
    else:
        verdict = "đồng ý gia hạn" if entry.get("approved") else "không đồng ý gia hạn"
        text = f"{entry.get('decided_by') or 'Lãnh đạo Sở'} {verdict} cho {who} {dates}"
        if entry.get("note"):
            text += f": «{entry['note']}»"
    if entry.get("refused"):
        text += f" — bị từ chối ghi nhận: {entry['refused']}"
    return text


def _words_or_dash(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    return words_of(value) if isinstance(value, datetime) else "—"
