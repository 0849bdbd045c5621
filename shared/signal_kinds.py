"""The kinds of signal that call for a reminder or an escalation (nhắc việc, đôn đốc), written once.

Each kind has one topic and one event class. The tracker fires the first three for an assignment
(``overdue`` at levels 1, 2 and 3); the router's dispute (đùn đẩy) is escalated by the notifier in
the same way, so it is a kind too. The notifier's escalation policy names its rules by these kinds,
and a dedup key or a stored claim spells a kind by its value (``"overdue"``), so the values are part
of the stored data and never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared import topics
from shared.events import (
    AssignmentDeadlineApproaching,
    AssignmentNotAcknowledged,
    AssignmentOverdue,
    EventMeta,
    ResponsibilityDisputed,
)


class SignalKind(StrEnum):
    """What a signal says about an assignment (or, for ``DISPUTED``, a dispatch)."""

    UNACKNOWLEDGED = "unacknowledged"
    """Chưa tiếp nhận: the unit has not acknowledged receipt by its acknowledgement deadline."""
    APPROACHING = "approaching"
    """Sắp đến hạn: the deadline is near and the unit has not completed."""
    OVERDUE = "overdue"
    """Quá hạn: past the deadline, at level 1, 2 or 3 (0, 1 or 2 working days late)."""
    DISPUTED = "disputed"
    """Đùn đẩy: units keep passing the dispatch on; leadership must decide (from the router)."""


OVERDUE_LEVELS: tuple[int, ...] = (1, 2, 3)
"""The escalation levels of an overdue signal."""

ALL_KINDS_AND_LEVELS: tuple[tuple[SignalKind, int | None], ...] = (
    (SignalKind.UNACKNOWLEDGED, None), (SignalKind.APPROACHING, None),
    *((SignalKind.OVERDUE, level) for level in OVERDUE_LEVELS), (SignalKind.DISPUTED, None),
)
"""Every (kind, level) a signal can have: the escalation policy has one rule for each."""


@dataclass(frozen=True)
class SignalType:
    """One kind of signal on the wire: the topic it travels on and the event class it is."""

    kind: SignalKind
    topic: str
    event: type[EventMeta]

    @property
    def event_type(self) -> str:
        """The ``event_type`` its events carry, e.g. ``"assignment.overdue"``."""
        return str(self.event.model_fields["event_type"].default)


SIGNAL_TYPES: tuple[SignalType, ...] = (
    SignalType(SignalKind.UNACKNOWLEDGED, topics.ASSIGNMENT_UNACKNOWLEDGED,
               AssignmentNotAcknowledged),
    SignalType(SignalKind.APPROACHING, topics.ASSIGNMENT_APPROACHING,
               AssignmentDeadlineApproaching),
    SignalType(SignalKind.OVERDUE, topics.ASSIGNMENT_OVERDUE, AssignmentOverdue),
    SignalType(SignalKind.DISPUTED, topics.DISPATCH_DISPUTED, ResponsibilityDisputed),
)
"""Every kind's topic and event class, in the order of :class:`SignalKind`."""

TRACKER_SIGNAL_TYPES: tuple[SignalType, ...] = tuple(
    t for t in SIGNAL_TYPES if t.kind is not SignalKind.DISPUTED)
"""The kinds the tracker fires (from its deadline timers)."""

_BY_KIND = {t.kind: t for t in SIGNAL_TYPES}
_BY_EVENT_TYPE = {t.event_type: t for t in SIGNAL_TYPES}
_BY_CLASS = {t.event: t for t in SIGNAL_TYPES}


def signal_type(kind: SignalKind | str) -> SignalType:
    """The topic and event class of ``kind`` (its value, e.g. ``"overdue"``, works too)."""
    return _BY_KIND[SignalKind(kind)]


def signal_type_of_event(event_type: str) -> SignalType:
    """The signal type whose events carry ``event_type`` (raises ``KeyError`` for another event)."""
    return _BY_EVENT_TYPE[event_type]


def kind_of(event: EventMeta) -> tuple[SignalKind, int | None]:
    """The kind of a signal event, and its level (overdue only); ``TypeError`` for another event."""
    found = _BY_CLASS.get(type(event))
    if found is None:
        raise TypeError(f"not a signal: {type(event).__name__}")
    return found.kind, event.level if isinstance(event, AssignmentOverdue) else None
