"""Typed records the tracker's repository returns and takes. Pure: no I/O.

Each record knows the shape it is stored in (``from_doc``/``as_doc``; ``_id`` is the record's
``id``), so the code deciding things reads attributes, and only the repository speaks to MongoDB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.tracker.ladder import CLOSED, Status
from services.tracker.signals import claim_id, round_id
from shared.kafka import key_hash

Doc = dict[str, Any]


def _status(value: object) -> Status | None:
    return Status(str(value)) if value else None


@dataclass(frozen=True)
class AssignmentRecord:
    """One unit's assignment on one dispatch (``id`` = ``<dispatch_id>:<unit_code>``): what the
    handlers, the API and the detector decide on."""

    id: str
    dispatch_id: str
    unit_code: str
    status: Status
    due_at: datetime
    round: int = 0
    """0 until the assignment is reopened; each reopening starts a new round of signals."""
    role: str = "lead"
    ack_due_at: datetime | None = None
    lead_units: tuple[str, ...] = ()
    """For a coordinating unit (phối hợp): the lead unit(s) its contribution is due to."""
    last_response_event_id: str | None = None
    """The response that set the current status (so a redelivery after a crash can finish it)."""
    last_response_status: Status | None = None

    @property
    def closed(self) -> bool:
        """Whether the assignment is finished (completed, declined, transferred, cancelled)."""
        return self.status in CLOSED

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> AssignmentRecord:
        """The record of a stored assignment document."""
        return cls(id=str(doc["_id"]), dispatch_id=str(doc["dispatch_id"]),
                   unit_code=str(doc["unit_code"]), status=Status(doc["status"]),
                   due_at=doc["due_at"], round=int(doc.get("round") or 0),
                   role=str(doc.get("role") or "lead"), ack_due_at=doc.get("ack_due_at"),
                   lead_units=tuple(map(str, doc.get("lead_units") or ())),
                   last_response_event_id=doc.get("last_response_event_id"),
                   last_response_status=_status(doc.get("last_response_status")))


@dataclass(frozen=True)
class CheckRecord:
    """The deadline check of one round of an assignment (``id`` = the assignment's): the instant
    each of its signals becomes due."""

    id: str
    dispatch_id: str
    schedule: dict[str, datetime]
    round: int = 0
    unit_code: str | None = None
    stored_key_hash: int | None = None
    """The murmur2 hash of the dispatch id as stored (None for checks written before it was)."""

    @property
    def key_hash(self) -> int:
        """The key hash of the dispatch (``% partitions`` = the Kafka partition of its events)."""
        return self.stored_key_hash if self.stored_key_hash is not None else key_hash(self.dispatch_id)

    @property
    def round_id(self) -> str:
        """The assignment's id, plus its round once it was reopened."""
        return round_id(self.id, self.round)

    def claim_id(self, signal: str) -> str:
        """The id under which ``signal`` of this round is claimed and receipted."""
        return claim_id(self.id, self.round, signal)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> CheckRecord:
        """The record of a stored (possibly projected) deadline check."""
        stored = doc.get("key_hash")
        return cls(id=str(doc["_id"]), dispatch_id=str(doc.get("dispatch_id") or ""),
                   schedule=dict(doc.get("schedule") or {}), round=int(doc.get("round") or 0),
                   unit_code=doc.get("unit_code"),
                   stored_key_hash=int(stored) if stored is not None else None)

    def as_doc(self) -> Doc:
        """The document stored for a new check (a first round has no ``round`` field)."""
        doc: Doc = {"_id": self.id, "dispatch_id": self.dispatch_id, "unit_code": self.unit_code,
                    "key_hash": self.key_hash, "schedule": self.schedule}
        if self.round:
            doc["round"] = self.round
        return doc


TIMELINE_FIELDS = ("_id", "dispatch_id", "event_type", "occurred_at", "correlation_id")


@dataclass(frozen=True)
class TimelineEntry:
    """One applied (or refused) event on a dispatch's timeline (``event_id`` is its stored id, so
    an event is recorded once); ``details`` are the event's own fields shown on the timeline."""

    event_id: str
    dispatch_id: str | None
    event_type: str
    occurred_at: datetime
    correlation_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> TimelineEntry:
        """The entry of a stored timeline document."""
        return cls(event_id=str(doc["_id"]), dispatch_id=doc.get("dispatch_id"),
                   event_type=str(doc.get("event_type")), occurred_at=doc["occurred_at"],
                   correlation_id=doc.get("correlation_id"),
                   details={k: v for k, v in doc.items() if k not in TIMELINE_FIELDS})

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.event_id, "dispatch_id": self.dispatch_id,
                "event_type": self.event_type, "occurred_at": self.occurred_at,
                "correlation_id": self.correlation_id, **self.details}


@dataclass(frozen=True)
class AcceptedResponse:
    """A unit response the API accepted and published (``event_id`` = its event's id)."""

    event_id: str
    dispatch_id: str
    unit_code: str
    action: str
    requested: str
    """The status the response asked for."""
    accepted_at: datetime

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> AcceptedResponse:
        """The record of a stored accepted response."""
        return cls(event_id=str(doc["_id"]), dispatch_id=str(doc["dispatch_id"]),
                   unit_code=str(doc["unit_code"]), action=str(doc["action"]),
                   requested=str(doc["requested"]), accepted_at=doc["accepted_at"])

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.event_id, "dispatch_id": self.dispatch_id, "unit_code": self.unit_code,
                "action": self.action, "requested": self.requested,
                "accepted_at": self.accepted_at}


@dataclass(frozen=True)
class SignalClaim:
    """The reservation of one signal's firing (``id`` = its claim id), with the event to publish."""

    id: str
    event_type: str
    event_json: str
    claimed_at: datetime

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> SignalClaim:
        """The record of a stored claim."""
        return cls(id=str(doc["_id"]), event_type=str(doc["event_type"]),
                   event_json=str(doc["event"]), claimed_at=doc["claimed_at"])

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.id, "event_type": self.event_type, "event": self.event_json,
                "claimed_at": self.claimed_at}
