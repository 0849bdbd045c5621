"""What a batch of events writes, as plain values. Pure: the repository turns each list into one
bulk write of its collection (``TrackerRepository.apply``).

A creation is a :class:`NewDocument`, a plain insert whose ``id`` is derived from the event: a
redelivered event's duplicate is refused, which is the idempotency wanted, at one write where an
upsert is a read and a write in FerretDB v1 (not atomic across connections). A change of some
fields of one document is a :class:`SetFields`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.tracker.records import CheckRecord, TimelineEntry


@dataclass(frozen=True)
class NewDocument:
    """Create the document ``id`` with ``fields``, once: a repeat with the same id is ignored."""

    id: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class SetFields:
    """Set ``fields`` of the document ``id`` (``upsert``: create it when it is missing)."""

    id: str
    fields: dict[str, Any]
    upsert: bool = False


Write = NewDocument | SetFields


@dataclass
class WriteBatch:
    """Writes gathered from a batch of events, one list per collection."""

    dispatches: list[Write] = field(default_factory=list)
    decisions: list[Write] = field(default_factory=list)
    assignments: list[Write] = field(default_factory=list)
    checks: list[CheckRecord] = field(default_factory=list)
    """New deadline checks (created once, like the assignments they belong to)."""
    timeline: list[TimelineEntry] = field(default_factory=list)
    """New timeline entries (recorded once: their id is the event's)."""

    @property
    def creations_only(self) -> bool:
        """Whether every write creates a document (no :class:`SetFields`): then no write depends
        on another, and the collections may be written in any order."""
        return not any(isinstance(w, SetFields)
                       for w in (*self.dispatches, *self.decisions, *self.assignments))

    @property
    def watch(self) -> list[CheckRecord]:
        """The deadline checks created by the batch, for the detector's timers once it is applied."""
        return list(self.checks)
