"""The router's pure input and output: :class:`RoutingInput` in, :class:`RoutingDecision` out.

A deadline the document states and the meeting it convenes are the contract's own types
(:class:`~shared.events.StatedDeadline`, :class:`~shared.events.MeetingInfo`), as ingest sent them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.events import MeetingInfo, StatedDeadline
from shared.events_exchange import Urgency
from shared.reading_parts import DocumentSignature


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoutingInput(_Frozen):
    """What the router knows of a dispatch (công văn đến), as read by ingest."""

    dispatch_id: str
    issuer: str | None = Field(default=None, description="Cơ quan ban hành: 'SỞ CÔNG THƯƠNG'.")
    parent_issuer: str | None = Field(default=None, description="Cơ quan chủ quản: 'UBND TỈNH …'.")
    doc_type: str | None = Field(default=None, description="Loại văn bản: 'Công văn', 'Giấy mời'…")
    number: str | None = None
    notation: str | None = Field(default=None, description="Ký hiệu: 'SCT-VP'.")
    subject: str = Field(description="Trích yếu.")
    body: str | None = None
    recipients: list[str] = Field(default=[], description="Items of 'Kính gửi'.")
    issued_on: dt.date | None = None
    received_at: AwareDatetime
    stated_deadlines: list[StatedDeadline] = Field(
        default=[], description="Time limits the document itself sets: '… trước ngày 16/2/2024'.")
    sender_due_at: AwareDatetime | None = Field(
        default=None, description="The deadline the sender set (due_at); it counts as stated.")
    meeting: MeetingInfo | None = Field(
        default=None, description="The meeting it convenes; one without a date sets no deadline.")
    signature: DocumentSignature | None = Field(
        default=None, description="The digital signature as ingest verified it (PDF uploads).")
    urgency: Urgency | None = Field(
        default=None, description="Độ khẩn (edXML Priority): caps the deadlines by policy.")


class Assignment(_Frozen):
    """One unit's share of a dispatch, tracked on its own."""

    unit_code: str
    role: Literal["lead", "coordinating"] = Field(description="lead = chủ trì, coordinating = phối hợp.")
    due_at: AwareDatetime = Field(description="Hạn xử lý (Asia/Ho_Chi_Minh).")
    ack_due_at: AwareDatetime = Field(description="When the unit must acknowledge receipt.")
    task: str = Field(description="What the unit is asked to do, in a short Vietnamese sentence.")


class RoutingDecision(_Frozen):
    """Who handles a dispatch and by when, with the reason in a clerk's words."""

    dispatch_id: str
    assignments: list[Assignment] = Field(min_length=1)
    rule_id: str = Field(description="The rule that matched; 'triage' or 'broadcast' when none did.")
    matched_terms: list[str] = Field(default=[], description="What matched, e.g. 'từ khóa «điện lực»'.")
    reason: str
    broadcast: bool = Field(default=False, description="Sent to every unit, one assignment each.")

    @property
    def leads(self) -> list[Assignment]:
        """The assignments with role lead (chủ trì)."""
        return [a for a in self.assignments if a.role == "lead"]
