"""What events are made of: times, deterministic ids, bounded text, and the small nested models.

Every text field of an event is bounded text from :mod:`shared.safe_text`: line breaks and control
characters are cleaned, never refused (parsed document text and older events stay valid), and a value
over its size is a ValidationError naming the field. The sizes are sized for real letters.
:mod:`shared.events` re-exports everything here; import from there.
"""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.safe_text import CleanLine, CleanLines

_NAMESPACE = uuid.UUID("6f1b7c4e-2d0a-4c53-9a57-9e3f0c1d8b21")

Id = Annotated[str, CleanLine(200)]
"""An id or code: event, dispatch, blob, unit, rule, system, number, notation (≤ 200)."""
Name = Annotated[str, CleanLine(500)]
"""A name: of an agency, a place, a signer, a recipient (≤ 500)."""
Subject = Annotated[str, CleanLine(2_000)]
"""A trích yếu, and the sentence a parsed field was read from (≤ 2,000)."""
Note = Annotated[str, CleanLines(4_000)]
"""What a unit wrote: a reply, a reason for declining (≤ 4,000, several lines)."""
Explanation = Annotated[str, CleanLines(10_000)]
"""What a service explains (a reason, a task), which may quote a unit's note (≤ 10,000)."""
BODY_MAX = 524_288
"""Longest body travelling inline (characters): twice the default INGEST_INLINE_BODY_MAX_BYTES; a
longer body is stored as a blob and referenced by ``body_ref``."""
Body = Annotated[str, CleanLines(BODY_MAX)]
"""The body text of a document, inline (≤ 524,288)."""
LIST_MAX = 500
"""Most items of a list (units of a broadcast, recipients, keys)."""


def derived_event_id(*parts: str) -> str:
    """Return a deterministic event id from its parts, so that re-processing yields the same id.

    A consumer that re-handles a redelivered message emits the same ``event_id`` again, and the
    downstream idempotency check (unique ``event_id``) drops the duplicate.
    """
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _require_tz(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a timezone (e.g. +07:00 or Z)")
    return value.astimezone(UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_require_tz)]
"""A datetime that must be timezone-aware; stored and sent as UTC."""


class StatedDeadline(BaseModel):
    """A deadline the document itself sets (hạn nêu trong văn bản), in local date and time."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: dt.date
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$", description="HH:MM local.")
    what: Name | None = Field(default=None, description="What is due, e.g. 'gửi báo cáo'.")
    who: Name | None = Field(default=None, description="From whom, e.g. 'Các phòng, đơn vị'.")

    def local_time(self) -> dt.time | None:
        """The stated time as a clock time (None: the document states only a date)."""
        return dt.time.fromisoformat(self.time) if self.time else None


class MeetingInfo(BaseModel):
    """The meeting a document convenes or invites to (giấy mời họp)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: dt.date | None = None
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    place: Name | None = None

    def local_time(self) -> dt.time | None:
        """The meeting's time as a clock time (None: not stated)."""
        return dt.time.fromisoformat(self.time) if self.time else None


class Attachment(BaseModel):
    """A file stored by ingest (chunked in MongoDB) and referenced, never inlined in the event."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    blob_id: Id
    filename: Annotated[str, CleanLine(255)]
    content_type: Id
    size: int = Field(ge=0)
    sha256: Annotated[str, CleanLine(64)]


class AssignmentRole(StrEnum):
    """A unit's role on a dispatch."""

    LEAD = "lead"
    """Chủ trì: the unit responsible for the answer."""
    COORDINATING = "coordinating"
    """Phối hợp: a unit that contributes to the lead unit's answer."""


class UnitAssignment(BaseModel):
    """One unit's share of a dispatch, with its deadlines."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    unit_code: Id = Field(description="Organisation code of the unit, e.g. 'VP'.")
    role: AssignmentRole
    due_at: AwareDatetime = Field(description="Hạn xử lý: when the unit's answer is due.")
    ack_due_at: AwareDatetime | None = Field(
        default=None, description="Hạn tiếp nhận: when the unit must have acknowledged receipt."
    )
    task: Explanation | None = Field(default=None, description="What the unit is asked to do.")


class ResponseAction(StrEnum):
    """What a unit does with its assignment (the edXML status ladder, seen from the unit)."""

    ACKNOWLEDGE = "acknowledge"
    """Đã tiếp nhận (edXML 03)."""
    PROGRESS = "progress"
    """Đang xử lý (edXML 05), with a note."""
    COMPLETE = "complete"
    """Hoàn thành (edXML 06), with a reply document or note."""
    DECLINE = "decline"
    """Not ours: the unit gives it back, naming (optionally) who should handle it."""
    TRANSFER = "transfer"
    """Hand it to another unit (chuyển), naming that unit."""


class ReassignmentHop(BaseModel):
    """One hop of a dispatch between units (declined, transferred or overridden)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    from_unit: Id | None
    to_unit: Id
    action: Id = Field(description="decline, transfer or override")
    reason: Explanation | None = None
    at: AwareDatetime
