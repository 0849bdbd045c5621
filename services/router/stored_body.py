"""A letter whose body ingest stored as a blob (``body_ref``): its text, or the Office triages it.

Pure: the handler reads the bytes through the repository and hands them here.

- The bytes decode as UTF-8: the body is cleaned exactly as an inline body is when its event is
  validated (:func:`shared.safe_text.clean_block`), so the letter is routed as if it had come inline.
- The blob is missing, incomplete or not UTF-8: the letter is not routed on its header alone, which
  could send it to the wrong unit without anyone noticing. It goes to the Office's triage queue
  (Văn phòng), as a letter no rule can decide does, with the reason in the decision: the letter stays
  tracked, with a deadline and the escalation ladder, and a clerk reads the original.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.router.deadlines import Deadlines, show
from services.router.decision import TRIAGE_RULE_ID
from services.router.model import Assignment, RoutingDecision, RoutingInput
from shared.organisation import Organisation
from shared.safe_text import clean_block
from shared.text_match import shorten
from shared.workdays import WorkCalendar


@dataclass(frozen=True)
class Unreadable:
    """Why a stored body could not be read, in a clerk's words."""

    why: str


MISSING = Unreadable("không tìm thấy nội dung văn bản đã lưu, hoặc nội dung lưu không đầy đủ")
NOT_TEXT = Unreadable("nội dung văn bản đã lưu không phải văn bản UTF-8")


def body_text(data: bytes | None) -> str | Unreadable:
    """The body as the router reads an inline one, or why it cannot be read."""
    if data is None:
        return MISSING
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_TEXT
    return clean_block(text)


def triage_unreadable(doc: RoutingInput, organisation: Organisation, calendar: WorkCalendar,
                      unreadable: Unreadable, body_ref: str) -> RoutingDecision:
    """The Office leads, to classify the letter from its original; the reason names the blob."""
    office = organisation.office
    deadlines = Deadlines(doc, organisation, calendar, None)
    due = deadlines.for_unit(office.code)
    ack = deadlines.acknowledgement(due.at)
    task = f"Phân loại (nội dung văn bản không đọc được), trình Lãnh đạo Sở giao xử lý: {doc.subject}"
    assignment = Assignment(unit_code=office.code, role="lead", due_at=due.at, ack_due_at=ack,
                            task=shorten(task))
    reason = (f"Không đọc được nội dung văn bản: {unreadable.why} (mã lưu trữ {body_ref}). "
              f"Không phân công theo trích yếu mà chuyển {office.name} ({office.code}) phân loại "
              "theo bản gốc, trình Lãnh đạo Sở giao đơn vị xử lý. "
              f"Hạn xử lý: {due.basis}. Hạn xác nhận đã nhận: {show(ack)}.")
    return RoutingDecision(dispatch_id=doc.dispatch_id, assignments=[assignment],
                           rule_id=TRIAGE_RULE_ID, reason=reason)
