"""Event contracts: every message Vanthu puts on Kafka, defined once.

Events are named in the past tense and say what happened. Each carries :class:`EventMeta`
(``event_id``, ``occurred_at``, ``correlation_id``, ``schema_version``). Changes within a major
version are additive only, and consumers ignore fields they do not know; a breaking change gets a new
topic ``...v2`` (see docs/decisions/0002-event-contracts.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_NAMESPACE = uuid.UUID("6f1b7c4e-2d0a-4c53-9a57-9e3f0c1d8b21")


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


class EventMeta(BaseModel):
    """Metadata every event carries (openedx-events style)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="Unique id.")
    occurred_at: AwareDatetime = Field(
        default_factory=lambda: datetime.now(UTC), description="When it happened (UTC)."
    )
    correlation_id: str = Field(description="Ties together every event caused by one dispatch.")
    schema_version: str = Field(default="1.0", description="major.minor of this event's schema.")


class StatedDeadline(BaseModel):
    """A deadline the document itself sets (hạn nêu trong văn bản), in local date and time."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: dt.date
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$", description="HH:MM local.")
    what: str | None = Field(default=None, description="What is due, e.g. 'gửi báo cáo'.")
    who: str | None = Field(default=None, description="From whom, e.g. 'Các phòng, đơn vị'.")


class MeetingInfo(BaseModel):
    """The meeting a document convenes or invites to (giấy mời họp)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: dt.date | None = None
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    place: str | None = None


class Attachment(BaseModel):
    """A file stored by ingest (chunked in MongoDB) and referenced, never inlined in the event."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    blob_id: str
    filename: str
    content_type: str
    size: int = Field(ge=0)
    sha256: str


class DispatchReceived(EventMeta):
    """Ingest accepted a dispatch (công văn đến) from an upstream system.

    Fields the sender stated always win; fields the parser filled in are listed in
    ``parsed_fields`` (guesses for a clerk to confirm), with their source sentence in ``sources``.
    """

    event_type: Literal["dispatch.received"] = "dispatch.received"
    dispatch_id: str
    source_system: str = Field(description="The upstream system that sent it.")
    document_id: str | None = Field(default=None, description="edXML DocumentId, if any.")
    issuer: str | None = Field(default=None, description="Cơ quan ban hành, e.g. SỞ CÔNG THƯƠNG.")
    parent_issuer: str | None = Field(default=None, description="Cơ quan chủ quản.")
    place: str | None = Field(default=None, description="Địa danh.")
    signer_title: str | None = None
    signer_name: str | None = None
    deadlines: list[StatedDeadline] = Field(default_factory=list)
    meeting: MeetingInfo | None = None
    distribution: list[str] = Field(default_factory=list, description="Nơi nhận.")
    parsed_fields: list[str] = Field(
        default_factory=list, description="Fields read by the parser, not stated by the sender."
    )
    sources: dict[str, str] = Field(
        default_factory=dict, description="Field → the sentence of the document it was read from."
    )
    attachments: list[Attachment] = Field(default_factory=list)
    body_ref: str | None = Field(
        default=None, description="Blob id of the body when it is too large to travel inline."
    )
    number: str | None = Field(default=None, description="Số, e.g. '123'.")
    notation: str | None = Field(default=None, description="Ký hiệu, e.g. 'SCT-VP'.")
    doc_type: str | None = Field(default=None, description="Loại văn bản, e.g. 'Công văn'.")
    issued_on: date | None = None
    subject: str = Field(description="Trích yếu.")
    recipients: list[str] = Field(default_factory=list, description="Kính gửi.")
    due_at: AwareDatetime | None = Field(
        default=None, description="The deadline the document itself states, if any."
    )
    body_chars: int = Field(default=0, ge=0, description="Length of the body text.")
    body: str | None = Field(default=None, description="The body text (never logged).")


class AssignmentRole(StrEnum):
    """A unit's role on a dispatch."""

    LEAD = "lead"
    """Chủ trì: the unit responsible for the answer."""
    COORDINATING = "coordinating"
    """Phối hợp: a unit that contributes to the lead unit's answer."""


class UnitAssignment(BaseModel):
    """One unit's share of a dispatch, with its deadlines."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    unit_code: str = Field(description="Organisation code of the unit, e.g. 'VP'.")
    role: AssignmentRole
    due_at: AwareDatetime = Field(description="Hạn xử lý: when the unit's answer is due.")
    ack_due_at: AwareDatetime | None = Field(
        default=None, description="Hạn tiếp nhận: when the unit must have acknowledged receipt."
    )
    task: str | None = Field(default=None, description="What the unit is asked to do.")


class DispatchAssigned(EventMeta):
    """Router decided who handles a dispatch, and by when, with the reason."""

    event_type: Literal["dispatch.assigned"] = "dispatch.assigned"
    dispatch_id: str
    subject: str
    assignments: list[UnitAssignment] = Field(min_length=1)
    rule_id: str = Field(description="The routing rule that matched.")
    reason: str = Field(description="Why, in words a clerk understands.")


class AssignmentSignal(EventMeta):
    """What the tracker knows about a unit's assignment when it signals lateness; self-contained, so
    the notifier can write its message without asking anyone."""

    dispatch_id: str
    unit_code: str
    role: AssignmentRole = AssignmentRole.LEAD
    subject: str | None = Field(default=None, description="Trích yếu.")
    number: str | None = None
    notation: str | None = None
    due_at: AwareDatetime = Field(description="Hạn xử lý.")
    ack_due_at: AwareDatetime | None = Field(default=None, description="Hạn tiếp nhận.")
    detected_at: AwareDatetime


class AssignmentDeadlineApproaching(AssignmentSignal):
    """The deadline is near (by default one working day ahead) and the unit has not completed."""

    event_type: Literal["assignment.approaching"] = "assignment.approaching"


class AssignmentOverdue(AssignmentSignal):
    """The unit is late (quá hạn). Level 1 = at the deadline, 2 = one working day later, 3 = two."""

    event_type: Literal["assignment.overdue"] = "assignment.overdue"
    level: int = Field(default=1, ge=1, le=3)


class AssignmentNotAcknowledged(AssignmentSignal):
    """The unit has not acknowledged receipt (chưa tiếp nhận) by its acknowledgement deadline."""

    event_type: Literal["assignment.unacknowledged"] = "assignment.unacknowledged"


class DeadLetter(BaseModel):
    """A message a service could not apply, kept with the reason so that nothing is lost."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    service: str
    topic: str
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    reason: str
    payload: str = Field(description="The original message, decoded as UTF-8 with replacement.")


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


class UnitResponded(EventMeta):
    """A unit answered its assignment on a dispatch."""

    event_type: Literal["assignment.responded"] = "assignment.responded"
    dispatch_id: str
    unit_code: str
    action: ResponseAction
    note: str | None = Field(default=None, max_length=4000)
    transfer_to: str | None = Field(
        default=None, description="For decline/transfer: the unit that should handle it instead."
    )
    reply_blob_id: str | None = Field(default=None, description="Stored reply document, if any.")
    responded_by: str = Field(description="Identity behind the token that sent it.")


class ReassignmentHop(BaseModel):
    """One hop of a dispatch between units (declined, transferred or overridden)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    from_unit: str | None
    to_unit: str
    action: str = Field(description="decline, transfer or override")
    reason: str | None = None
    at: AwareDatetime


class DispatchReassigned(EventMeta):
    """Router moved a unit's assignment to another unit (after a decline, transfer or override)."""

    event_type: Literal["dispatch.reassigned"] = "dispatch.reassigned"
    dispatch_id: str
    from_unit: str | None = Field(description="The unit whose assignment ends (None: added).")
    assignment: UnitAssignment = Field(description="The new assignment.")
    chain: list[ReassignmentHop] = Field(description="Every hop so far, oldest first.")
    reason: str


class ResponsibilityDisputed(EventMeta):
    """Units keep passing a dispatch on (đùn đẩy): router stops and asks leadership to decide."""

    event_type: Literal["dispatch.disputed"] = "dispatch.disputed"
    dispatch_id: str
    subject: str | None = None
    units: list[str] = Field(description="Units involved, in order of the chain.")
    chain: list[ReassignmentHop]
    reason: str


class AssignmentOverridden(EventMeta):
    """Leadership decided who handles a dispatch; this wins over any rule or bounce."""

    event_type: Literal["assignment.overridden"] = "assignment.overridden"
    dispatch_id: str
    lead_unit: str
    coordinating_units: list[str] = Field(default_factory=list)
    due_at: AwareDatetime | None = None
    decided_by: str
    reason: str


class AssignmentStatusChanged(EventMeta):
    """A unit's assignment moved on the edXML status ladder (03 tiếp nhận, 04 phân công,
    05 đang xử lý, 06 hoàn thành), so the sending agency can be told in an edXML status message."""

    event_type: Literal["assignment.status_changed"] = "assignment.status_changed"
    dispatch_id: str
    unit_code: str
    status: str = Field(description="The tracker's status name, e.g. 'acknowledged'.")
    edxml_code: str = Field(pattern=r"^0[1-6]$", description="QCVN 102:2016 StatusCode.")
    note: str | None = None


class NotificationFailed(EventMeta):
    """The notifier could not deliver a notification (escalation, reminder or digest) and gave up:
    its keys are dead-lettered with the reason, and leadership sees it on the dispatch's timeline
    and the dashboard, so no escalation vanishes without a trace."""

    event_type: Literal["notification.failed"] = "notification.failed"
    dispatch_id: str | None = Field(
        default=None, description="The dispatch it was about; None for the daily digest.")
    unit_code: str | None = Field(default=None, description="The unit it was about, if any.")
    keys: list[str] = Field(description="Dedup keys of the notification (assignment/kind/level/…).")
    kind: str = Field(description="What it was: e.g. 'overdue', 'approaching', 'digest'.")
    level: int | None = Field(default=None, description="Escalation level, when it is one.")
    recipient_id: str = Field(description="Who should have received it (organisation id).")
    channel: str = Field(description="email, webhook, log, …")
    step: Literal["claim", "render", "send", "record"] = Field(
        description="The step that failed.")
    reason: str = Field(max_length=2000, description="Why, in words an operator understands.")
    attempts: int = Field(ge=0, description="Delivery attempts made before giving up.")
