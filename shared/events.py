"""Event contracts: every message Vanthu puts on Kafka, defined once.

Events are named in the past tense and say what happened. Each carries :class:`EventMeta`
(``event_id``, ``occurred_at``, ``correlation_id``, ``schema_version``). Changes within a major
version are additive only, and consumers ignore fields they do not know; a breaking change gets a new
topic ``...v2`` (see docs/decisions/0002-event-contracts.md).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.event_parts import LIST_MAX, Body, Explanation, Id, Name, Note, Subject
from shared.event_parts import AssignmentRole as AssignmentRole
from shared.event_parts import Attachment as Attachment
from shared.event_parts import AwareDatetime as AwareDatetime
from shared.event_parts import MeetingInfo as MeetingInfo
from shared.event_parts import ReassignmentHop as ReassignmentHop
from shared.event_parts import ResponseAction as ResponseAction
from shared.event_parts import StatedDeadline as StatedDeadline
from shared.event_parts import UnitAssignment as UnitAssignment
from shared.event_parts import derived_event_id as derived_event_id
from shared.events_exchange import ExchangeDetails, Urgency
from shared.reading_parts import DocumentSignature, FieldOrigin
from shared.safe_text import CleanLine, CleanLines, Clipped

FieldName = Annotated[str, CleanLine(60)]


class EventMeta(BaseModel):
    """Metadata every event carries (openedx-events style)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: Id = Field(default_factory=lambda: str(uuid.uuid4()), description="Unique id.")
    occurred_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC),
                                       description="When it happened (UTC).")
    correlation_id: Id = Field(description="Ties together every event caused by one dispatch.")
    schema_version: Annotated[str, CleanLine(20)] = Field(
        default="1.0", description="major.minor of this event's schema.")


class DispatchReceived(EventMeta):
    """Ingest accepted a dispatch (công văn đến) from an upstream system.

    Fields the sender stated always win; fields the parser filled in are listed in
    ``parsed_fields`` (guesses for a clerk to confirm), with their source sentence in ``sources``.
    """

    event_type: Literal["dispatch.received"] = "dispatch.received"
    dispatch_id: Id
    source_system: Id = Field(description="The upstream system that sent it.")
    document_id: Id | None = Field(default=None, description="edXML DocumentId, if any.")
    issuer: Name | None = Field(default=None, description="Cơ quan ban hành, e.g. SỞ CÔNG THƯƠNG.")
    parent_issuer: Name | None = Field(default=None, description="Cơ quan chủ quản.")
    place: Name | None = Field(default=None, description="Địa danh.")
    signer_title: Name | None = None
    signer_name: Name | None = None
    deadlines: list[StatedDeadline] = Field(default_factory=list, max_length=100)
    meeting: MeetingInfo | None = None
    distribution: list[Name] = Field(default_factory=list, max_length=LIST_MAX,
                                     description="Nơi nhận.")
    parsed_fields: list[FieldName] = Field(
        default_factory=list, max_length=60,
        description="Fields read by the parser, not stated by the sender.")
    sources: dict[FieldName, Subject] = Field(
        default_factory=dict, max_length=60,
        description="Field → the sentence of the document it was read from.")
    signature: DocumentSignature | None = Field(
        default=None, description="The uploaded PDF's digital signature as verified (None: not a PDF).")
    field_origins: dict[FieldName, FieldOrigin] = Field(
        default_factory=dict, max_length=60,
        description="Parsed field → text layer or OCR, with the OCR confidence (fields to confirm).")
    urgency: Urgency | None = Field(
        default=None, description="Độ khẩn (edXML Priority); None: the sender stated none.")
    exchange: ExchangeDetails | None = Field(
        default=None, description="What an edXML package's envelope carried (None: not edXML).")
    attachments: list[Attachment] = Field(default_factory=list, max_length=50)
    body_ref: Id | None = Field(
        default=None, description="Blob id of the body when it is too large to travel inline.")
    number: Id | None = Field(default=None, description="Số, e.g. '123'.")
    notation: Id | None = Field(default=None, description="Ký hiệu, e.g. 'SCT-VP'.")
    doc_type: Id | None = Field(default=None, description="Loại văn bản, e.g. 'Công văn'.")
    issued_on: date | None = None
    subject: Subject = Field(description="Trích yếu.")
    recipients: list[Name] = Field(default_factory=list, max_length=LIST_MAX,
                                   description="Kính gửi.")
    due_at: AwareDatetime | None = Field(
        default=None, description="The deadline the document itself states, if any."
    )
    body_chars: int = Field(default=0, ge=0, description="Length of the body text.")
    body: Body | None = Field(default=None, description="The body text (never logged).")


class DispatchAssigned(EventMeta):
    """Router decided who handles a dispatch, and by when, with the reason (and its urgency)."""

    event_type: Literal["dispatch.assigned"] = "dispatch.assigned"
    dispatch_id: Id
    subject: Subject
    assignments: list[UnitAssignment] = Field(min_length=1, max_length=LIST_MAX)
    rule_id: Id = Field(description="The routing rule that matched.")
    reason: Explanation = Field(description="Why, in words a clerk understands.")
    urgency: Urgency | None = Field(default=None, description="Độ khẩn (deadlines capped by it).")


class AssignmentSignal(EventMeta):
    """What the tracker knows about a unit's assignment when it signals lateness; self-contained, so
    the notifier can write its message without asking anyone."""

    dispatch_id: Id
    unit_code: Id
    role: AssignmentRole = AssignmentRole.LEAD
    lead_units: list[Id] = Field(
        default_factory=list, max_length=LIST_MAX,
        description="For a coordinating unit (phối hợp): the lead unit(s) its contribution is due to.")
    subject: Subject | None = Field(default=None, description="Trích yếu.")
    number: Id | None = None
    notation: Id | None = None
    due_at: AwareDatetime = Field(description="Hạn xử lý.")
    ack_due_at: AwareDatetime | None = Field(default=None, description="Hạn tiếp nhận.")
    detected_at: AwareDatetime
    urgency: Urgency | None = Field(default=None, description="Độ khẩn of the dispatch, if stated.")


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
    """A message a service could not apply, kept with the reason so that nothing is lost.

    A dead letter is never refused for its size: its texts are clipped instead (the payload to the
    1 MiB a Kafka message holds by default)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: Annotated[str, Clipped(200)] = Field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    service: Annotated[str, Clipped(200)]
    topic: Annotated[str, Clipped(300)]
    partition: int | None = None
    offset: int | None = None
    key: Annotated[str, Clipped(1_000)] | None = None
    reason: Annotated[str, Clipped(10_000)]
    payload: Annotated[str, Clipped(1_048_576)] = Field(
        description="The original message, decoded as UTF-8 with replacement.")


class UnitResponded(EventMeta):
    """A unit answered its assignment on a dispatch."""

    event_type: Literal["assignment.responded"] = "assignment.responded"
    dispatch_id: Id
    unit_code: Id
    action: ResponseAction
    note: Note | None = None
    transfer_to: Id | None = Field(
        default=None, description="For decline/transfer: the unit that should handle it instead."
    )
    reply_blob_id: Id | None = Field(default=None, description="Stored reply document, if any.")
    responded_by: Id = Field(description="Identity behind the token that sent it.")
    role: AssignmentRole | None = Field(
        default=None, description="The part answered: lead (chủ trì) or coordinating (phối hợp). "
        "A coordinating part passed on stays coordinating. None: not said (read as lead).")


class DispatchReassigned(EventMeta):
    """Router moved a unit's assignment to another unit (after a decline, transfer or override)."""

    event_type: Literal["dispatch.reassigned"] = "dispatch.reassigned"
    dispatch_id: Id
    from_unit: Id | None = Field(description="The unit whose assignment ends (None: added).")
    assignment: UnitAssignment = Field(description="The new assignment.")
    chain: list[ReassignmentHop] = Field(max_length=LIST_MAX,
                                         description="Every hop so far, oldest first.")
    reason: Explanation


class ResponsibilityDisputed(EventMeta):
    """Units keep passing a dispatch on (đùn đẩy): router stops and asks leadership to decide."""

    event_type: Literal["dispatch.disputed"] = "dispatch.disputed"
    dispatch_id: Id
    subject: Subject | None = None
    units: list[Id] = Field(max_length=LIST_MAX, description="Units involved, in order of the chain.")
    chain: list[ReassignmentHop] = Field(max_length=LIST_MAX)
    reason: Explanation


class AssignmentOverridden(EventMeta):
    """Leadership decided who handles a dispatch; this wins over any rule or bounce."""

    event_type: Literal["assignment.overridden"] = "assignment.overridden"
    dispatch_id: Id
    lead_unit: Id
    coordinating_units: list[Id] = Field(default_factory=list, max_length=LIST_MAX)
    due_at: AwareDatetime | None = None
    decided_by: Id
    reason: Explanation


class AssignmentStatusChanged(EventMeta):
    """A unit's assignment moved on the edXML status ladder (03 tiếp nhận, 04 phân công,
    05 đang xử lý, 06 hoàn thành), so the sending agency can be told in an edXML status message."""

    event_type: Literal["assignment.status_changed"] = "assignment.status_changed"
    dispatch_id: Id
    unit_code: Id
    status: Id = Field(description="The tracker's status name, e.g. 'acknowledged'.")
    edxml_code: str = Field(pattern=r"^0[1-6]$", description="QCVN 102:2016 StatusCode.")
    note: Note | None = None


class NotificationFailed(EventMeta):
    """The notifier could not deliver a notification (escalation, reminder or digest) and gave up:
    its keys are dead-lettered with the reason, and leadership sees it on the dispatch's timeline
    and the dashboard, so no escalation vanishes without a trace."""

    event_type: Literal["notification.failed"] = "notification.failed"
    dispatch_id: Id | None = Field(
        default=None, description="The dispatch it was about; None for the daily digest.")
    unit_code: Id | None = Field(default=None, description="The unit it was about, if any.")
    keys: list[Annotated[str, CleanLine(1_000)]] = Field(
        max_length=LIST_MAX, description="Dedup keys of the notification (assignment/kind/level/…).")
    kind: Id = Field(description="What it was: e.g. 'overdue', 'approaching', 'digest'.")
    level: int | None = Field(default=None, description="Escalation level, when it is one.")
    recipient_id: Id = Field(description="Who should have received it (organisation id).")
    channel: Id = Field(description="email, webhook, log, …")
    step: Literal["claim", "render", "send", "record"] = Field(
        description="The step that failed.")
    reason: Annotated[str, CleanLines(2_000)] = Field(
        description="Why, in words an operator understands.")
    attempts: int = Field(ge=0, description="Delivery attempts made before giving up.")
