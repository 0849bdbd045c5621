"""The signal kinds, written once: each kind's topic and event class, and what the services derive."""

from __future__ import annotations

import pytest

from services.notifier.escalation import signal_kind
from services.notifier.policy import load_policy
from services.tracker.signals import SIGNALS
from shared import topics
from shared.events import AssignmentOverdue, DispatchReceived
from shared.signal_kinds import (
    ALL_KINDS_AND_LEVELS,
    SIGNAL_TYPES,
    TRACKER_SIGNAL_TYPES,
    SignalKind,
    kind_of,
    signal_type,
    signal_type_of_event,
)
from tests.unit.notifier.factories import disputed, signal


def test_values_are_the_stored_spellings() -> None:
    """Dedup keys, claims and the policy file spell kinds by these values: they never change."""
    assert [k.value for k in SignalKind] == ["unacknowledged", "approaching", "overdue", "disputed"]


def test_each_kind_has_its_topic_and_event() -> None:
    assert [(t.kind, t.topic, t.event_type) for t in SIGNAL_TYPES] == [
        (SignalKind.UNACKNOWLEDGED, topics.ASSIGNMENT_UNACKNOWLEDGED, "assignment.unacknowledged"),
        (SignalKind.APPROACHING, topics.ASSIGNMENT_APPROACHING, "assignment.approaching"),
        (SignalKind.OVERDUE, topics.ASSIGNMENT_OVERDUE, "assignment.overdue"),
        (SignalKind.DISPUTED, topics.DISPATCH_DISPUTED, "dispatch.disputed"),
    ]
    assert signal_type("overdue").event is AssignmentOverdue
    assert signal_type_of_event("assignment.overdue").topic == topics.ASSIGNMENT_OVERDUE
    assert SignalKind.DISPUTED not in {t.kind for t in TRACKER_SIGNAL_TYPES}


def test_kind_of_an_event_and_its_level() -> None:
    assert kind_of(signal("overdue", level=2)) == (SignalKind.OVERDUE, 2)
    assert kind_of(signal("approaching")) == (SignalKind.APPROACHING, None)
    assert kind_of(signal("unacknowledged")) == (SignalKind.UNACKNOWLEDGED, None)
    assert kind_of(disputed()) == (SignalKind.DISPUTED, None)
    assert signal_kind(signal("overdue", level=3)) == ("overdue", 3)  # the notifier's view
    with pytest.raises(TypeError):
        kind_of(DispatchReceived(correlation_id="d", dispatch_id="d", source_system="s",
                                 subject="x"))


def test_the_tracker_and_the_policy_cover_every_kind_and_level() -> None:
    tracker = {(s.partition(":")[0], int(s.partition(":")[2] or 0) or None) for s in SIGNALS}
    assert tracker == {(k, level) for k, level in ALL_KINDS_AND_LEVELS if k != "disputed"}
    policy = load_policy()
    assert {(r.signal, r.level) for r in policy.rules} == set(ALL_KINDS_AND_LEVELS)
