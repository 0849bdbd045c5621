"""The withdrawal event (a dispatch revoked, replaced or updated by a later edXML package) is a
public contract like the others: schema snapshotted (refresh with ``VANTHU_UPDATE_SNAPSHOTS=1``),
topic named by the rule and created at start-up; old events without the new optional fields
(``urgency`` on DispatchAssigned and the signals) still validate."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared import topics
from shared.events import AssignmentOverdue, DispatchAssigned
from shared.events_exchange import Urgency
from shared.events_withdrawal import DispatchWithdrawn

SNAPSHOT = Path(__file__).parent / "snapshots" / "DispatchWithdrawn.json"


def test_schema_matches_its_snapshot() -> None:
    schema = json.dumps(DispatchWithdrawn.model_json_schema(), indent=2, ensure_ascii=False,
                        sort_keys=True) + "\n"
    if os.environ.get("VANTHU_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(schema)
    assert SNAPSHOT.read_text() == schema, "DispatchWithdrawn changed; see tests/unit/test_events.py"


def test_topic_is_named_and_created() -> None:
    assert topics.DISPATCH_WITHDRAWN == "vanthu.dispatch.withdrawn.v1"
    assert topics.DISPATCH_WITHDRAWN in topics.ALL_TOPICS


def test_a_round_trip_keeps_every_field_and_an_unknown_business_is_refused() -> None:
    event = DispatchWithdrawn(correlation_id="d1", dispatch_id="d1", document_id="x,2024/02/05,1/A",
                              business="replace", by_dispatch_id="d2", reason="sai sót\nsố liệu",
                              units=["QLTM", "VP"], number="1", notation="A")
    again = DispatchWithdrawn.model_validate_json(event.model_dump_json())
    assert again == event and again.replaced and again.reason == "sai sót\nsố liệu"
    with pytest.raises(ValidationError, match="business"):
        DispatchWithdrawn(correlation_id="d1", dispatch_id="d1", document_id="x",
                          business="delete", by_dispatch_id="d2")


def test_urgency_travels_on_assignments_and_signals_and_old_events_still_validate() -> None:
    old = {"correlation_id": "d", "dispatch_id": "d", "subject": "s", "rule_id": "r", "reason": "x",
           "assignments": [{"unit_code": "VP", "role": "lead", "due_at": "2024-03-05T10:00:00Z"}]}
    assert DispatchAssigned.model_validate(old).urgency is None
    assert DispatchAssigned.model_validate({**old, "urgency": "express"}).urgency is Urgency.EXPRESS
    signal = {"correlation_id": "d", "dispatch_id": "d", "unit_code": "VP",
              "due_at": "2024-03-05T10:00:00Z", "detected_at": "2024-03-05T11:00:00Z"}
    assert AssignmentOverdue.model_validate(signal).urgency is None
    assert AssignmentOverdue.model_validate({**signal, "urgency": "urgent"}).urgency is Urgency.URGENT
