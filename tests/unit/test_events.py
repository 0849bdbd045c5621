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
from typing import Any

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
    NotificationFailed,
    ResponsibilityDisputed,
    UnitResponded,
)
from shared.events_blockers import BlockerDirected, BlockerReported
from shared.events_extensions import ExtensionDecided, ExtensionRequested

SNAPSHOTS = Path(__file__).parent / "snapshots"
EVENTS: list[type[BaseModel]] = [
    DispatchReceived, DispatchAssigned, UnitResponded, AssignmentOverridden, DispatchReassigned,
    ResponsibilityDisputed, AssignmentDeadlineApproaching, AssignmentOverdue,
    AssignmentNotAcknowledged, AssignmentStatusChanged, DeadLetter, NotificationFailed,
    BlockerReported, BlockerDirected, ExtensionRequested, ExtensionDecided,
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


def _unbounded(schema: dict[str, Any], defs: dict[str, Any], path: str) -> list[str]:
    """Paths of strings without maxLength (or a pattern, enum, const or format), arrays without
    maxItems and maps without maxProperties."""
    if "$ref" in schema:
        return _unbounded(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path)
    found = [p for i, sub in enumerate(schema.get("anyOf", []))
             for p in _unbounded(sub, defs, f"{path}|{i}")]
    kind = schema.get("type")
    if kind == "string" and not ({"maxLength", "pattern", "enum", "const", "format"} & set(schema)):
        found.append(path)
    if kind == "array":
        found += [path] if "maxItems" not in schema else []
        found += _unbounded(schema.get("items", {}), defs, f"{path}[]")
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        found += [path] if "maxProperties" not in schema else []
        found += _unbounded(schema.get("propertyNames", {}), defs, f"{path}{{key}}")
        found += _unbounded(schema["additionalProperties"], defs, f"{path}{{}}")
    for name, sub in schema.get("properties", {}).items():
        found += _unbounded(sub, defs, f"{path}.{name}")
    return found


@pytest.mark.parametrize("model", EVENTS, ids=lambda m: m.__name__)
def test_every_text_and_list_field_has_a_size(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    assert _unbounded(schema, schema.get("$defs", {}), model.__name__) == []


def _received(**fields: Any) -> DispatchReceived:
    return DispatchReceived(correlation_id="c", dispatch_id="d", source_system="portal",
                            **{"subject": "V/v tổng kết", **fields})


@pytest.mark.parametrize(("field", "value"), [
    ("subject", "x" * 2_001), ("notation", "SCT-" * 60), ("recipients", ["Sở"] * 501),
    ("sources", {f"f{i}": "câu" for i in range(61)}), ("body", "a" * 524_289),
])
def test_an_oversized_field_is_refused_and_named(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _received(**{field: value})
    assert [e["loc"][0] for e in caught.value.errors()] == [field]


def test_events_clean_line_breaks_and_controls_instead_of_refusing() -> None:
    event = _received(notation="SCT\r\nVP", subject="V/v\x00 tổng\u2028kết", recipients=["Sở\tCông"],
                      body="Dòng 1\r\nDòng 2\x0c\x01", sources={"subject": "câu\ngốc"})
    assert (event.notation, event.subject, event.recipients) == ("SCT VP", "V/v tổng kết", ["Sở Công"])
    assert event.body == "Dòng 1\nDòng 2\n" and event.sources == {"subject": "câu gốc"}
    again = DispatchReceived.model_validate_json(event.model_dump_json())
    assert again == event  # cleaning is idempotent: a clean event passes unchanged


def test_a_dead_letter_is_clipped_never_refused() -> None:
    letter = DeadLetter(service="tracker", topic="t", reason="r" * 20_000, payload="p" * 2_000_000)
    assert len(letter.reason) == 10_000 and len(letter.payload) == 1_048_576
