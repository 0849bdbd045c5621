"""Routing decisions: who handles a dispatch (chủ trì / phối hợp) and by when (hạn xử lý).

Pure: no I/O. For now a single fixed rule sends every dispatch to the default unit (Văn phòng, which
triages); the organisation-as-data rules come in the router's own issue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.events import (
    AssignmentRole,
    DispatchAssigned,
    DispatchReceived,
    UnitAssignment,
    derived_event_id,
)

FIXED_RULE_ID = "default-triage"


def decide(
    dispatch: DispatchReceived, *, default_unit: str, handling_days: int, now: datetime
) -> DispatchAssigned:
    """Assign ``dispatch`` to ``default_unit`` as lead unit (chủ trì).

    The deadline the document states wins; otherwise ``handling_days`` after the dispatch was
    received. Everything but ``occurred_at`` (= ``now``) depends only on the dispatch, and the event id
    is derived from it, so a redelivered ``DispatchReceived`` yields the same decision and event id.
    """
    if dispatch.due_at is not None:
        due_at, why_due = dispatch.due_at, "hạn nêu trong văn bản"
    else:
        due_at = dispatch.occurred_at + timedelta(days=handling_days)
        why_due = f"mặc định {handling_days} ngày kể từ khi nhận"
    return DispatchAssigned(
        event_id=derived_event_id("assigned", dispatch.dispatch_id),
        occurred_at=now,
        correlation_id=dispatch.correlation_id,
        dispatch_id=dispatch.dispatch_id,
        subject=dispatch.subject,
        assignments=[UnitAssignment(unit_code=default_unit, role=AssignmentRole.LEAD, due_at=due_at)],
        rule_id=FIXED_RULE_ID,
        reason=f"Chưa có quy tắc phân công riêng: chuyển {default_unit} phân loại; {why_due}.",
    )
