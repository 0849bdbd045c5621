"""The router's decision: who (chủ trì) and by when (hạn xử lý), deterministic on redelivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.router.routing import FIXED_RULE_ID, decide
from shared.events import AssignmentRole, DispatchReceived

RECEIVED_AT = datetime(2024, 2, 6, 8, 30, tzinfo=UTC)


def _dispatch(**fields: object) -> DispatchReceived:
    base: dict[str, object] = {
        "dispatch_id": "d-1", "correlation_id": "c-1", "source_system": "demo",
        "subject": "V/v tổng kết CCHC", "occurred_at": RECEIVED_AT,
    }
    return DispatchReceived.model_validate({**base, **fields})


def test_stated_deadline_wins_over_the_default() -> None:
    stated = datetime(2024, 2, 16, 17, 0, tzinfo=UTC)
    decision = decide(_dispatch(due_at=stated), default_unit="VP", handling_days=7,
                      now=RECEIVED_AT)
    [assignment] = decision.assignments
    assert assignment.due_at == stated
    assert assignment.unit_code == "VP" and assignment.role is AssignmentRole.LEAD
    assert "hạn nêu trong văn bản" in decision.reason


def test_default_deadline_counts_from_reception_not_from_processing_time() -> None:
    late_processing = RECEIVED_AT + timedelta(hours=5)
    decision = decide(_dispatch(), default_unit="VP", handling_days=7, now=late_processing)
    assert decision.assignments[0].due_at == RECEIVED_AT + timedelta(days=7)
    assert decision.rule_id == FIXED_RULE_ID and decision.correlation_id == "c-1"


def test_redelivery_yields_the_same_decision_and_event_id() -> None:
    first = decide(_dispatch(), default_unit="VP", handling_days=7, now=RECEIVED_AT)
    again = decide(_dispatch(), default_unit="VP", handling_days=7,
                   now=RECEIVED_AT + timedelta(minutes=3))
    assert first.event_id == again.event_id
    assert first.assignments == again.assignments
    other = decide(_dispatch(dispatch_id="d-2"), default_unit="VP", handling_days=7,
                   now=RECEIVED_AT)
    assert other.event_id != first.event_id
