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

from services.router.model import RoutingDecision, RoutingInput
from services.router.triage import office_triage
from shared.organisation import Organisation
from shared.safe_text import clean_block
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
    return office_triage(doc, organisation, calendar, "nội dung văn bản không đọc được",
                         f"Không đọc được nội dung văn bản: {unreadable.why} (mã lưu trữ {body_ref}).",
                         "theo bản gốc")
