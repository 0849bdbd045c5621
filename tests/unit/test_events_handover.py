"""The hand-over event (phân công xử lý) is a public contract like the others: its schema is
snapshotted (refresh with ``VANTHU_UPDATE_SNAPSHOTS=1`` after an intended, additive change), its
topic follows the naming rule and is created at start-up."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared import topics
from shared.events_handover import AssignmentHandedOver

SNAPSHOT = Path(__file__).parent / "snapshots" / "AssignmentHandedOver.json"


def test_schema_matches_its_snapshot() -> None:
    schema = json.dumps(AssignmentHandedOver.model_json_schema(), indent=2, ensure_ascii=False,
                        sort_keys=True) + "\n"
    if os.environ.get("VANTHU_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(schema)
    assert SNAPSHOT.read_text() == schema, "AssignmentHandedOver changed; see tests/unit/test_events.py"


def test_topic_is_named_and_created() -> None:
    assert topics.ASSIGNMENT_HANDED_OVER == "vanthu.assignment.handedover.v1"
    assert topics.ASSIGNMENT_HANDED_OVER in topics.ALL_TOPICS


def test_a_round_trip_keeps_every_field_and_a_missing_name_is_refused() -> None:
    event = AssignmentHandedOver(
        correlation_id="d1", dispatch_id="d1", unit_code="QLTM", assignment_id="d1:QLTM",
        staff_login="ttb", staff_name="Trần Thị B", handed_by="lvc", handed_by_name="Lê Văn C",
        handed_by_title="Trưởng phòng", note="xem gấp\ntrong tuần")
    again = AssignmentHandedOver.model_validate_json(event.model_dump_json())
    assert again == event and again.note == "xem gấp\ntrong tuần"
    with pytest.raises(ValidationError, match="staff_name"):
        AssignmentHandedOver(correlation_id="d1", dispatch_id="d1", unit_code="QLTM",
                             assignment_id="d1:QLTM", staff_login="ttb", handed_by="lvc",
                             handed_by_name="Lê Văn C")  # type: ignore[call-arg]
