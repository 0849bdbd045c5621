"""Events are a public contract: their schemas are snapshotted, so a change is a deliberate act.

After an intended, additive change, refresh with ``VANTHU_UPDATE_SNAPSHOTS=1 make test-unit`` and
bump the event's minor ``schema_version``; a breaking change needs a new ``...v2`` topic instead.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from shared import topics
from shared.events import (
    AssignmentDeadlineApproaching,
    AssignmentNotAcknowledged,
    AssignmentOverdue,
    AssignmentOverridden,
    AssignmentStatusChanged,
    DeadLetter,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    ResponsibilityDisputed,
    UnitResponded,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"
EVENTS: list[type[BaseModel]] = [
    DispatchReceived, DispatchAssigned, UnitResponded, AssignmentOverridden, DispatchReassigned,
    ResponsibilityDisputed, AssignmentDeadlineApproaching, AssignmentOverdue,
    AssignmentNotAcknowledged, AssignmentStatusChanged, DeadLetter,
]


@pytest.mark.parametrize("model", EVENTS, ids=lambda m: m.__name__)
def test_event_schema_matches_its_snapshot(model: type[BaseModel]) -> None:
    schema = json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True)
    path = SNAPSHOTS / f"{model.__name__}.json"
    if os.environ.get("VANTHU_UPDATE_SNAPSHOTS") == "1":
        path.write_text(schema + "\n")
    assert path.read_text() == schema + "\n", f"{model.__name__} changed; see module docstring"


def test_topics_follow_the_naming_rule() -> None:
    pattern = re.compile(r"^vanthu\.[a-z]+\.[a-z]+\.v\d+$")
    assert all(pattern.match(name) for name in topics.ALL_TOPICS)
    assert len(set(topics.ALL_TOPICS)) == len(topics.ALL_TOPICS)


def test_every_event_carries_the_metadata() -> None:
    event = AssignmentOverdue(correlation_id="c", dispatch_id="d", unit_code="VP",
                            due_at="2024-02-16T17:00:00+07:00", detected_at="2024-02-17T00:00:00Z")
    assert event.event_id and event.schema_version == "1.0"
    assert event.occurred_at.tzinfo is not None
    assert event.due_at.isoformat() == "2024-02-16T10:00:00+00:00"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        AssignmentOverdue(correlation_id="c", dispatch_id="d", unit_code="VP",
                        due_at=datetime(2024, 2, 16), detected_at="2024-02-17T00:00:00Z")


def test_consumers_ignore_fields_added_by_a_newer_minor_version() -> None:
    payload = DispatchAssigned(
        correlation_id="c", dispatch_id="d", subject="s", rule_id="r", reason="x",
        assignments=[{"unit_code": "VP", "role": "lead", "due_at": "2024-02-16T10:00:00Z"}],
    ).model_dump(mode="json")
    payload["added_in_1_1"] = "ignored"
    assert DispatchAssigned.model_validate(payload).dispatch_id == "d"
