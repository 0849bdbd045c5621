"""Deciding lateness: the level fires at the deadline, once, and never for closed assignments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.tracker.overdue import overdue_finding

DUE = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)


def _assignment(**fields: Any) -> dict[str, Any]:
    return {"_id": "d-1:VP", "dispatch_id": "d-1", "unit_code": "VP", "due_at": DUE,
            "status": "received", "overdue_level": 0, **fields}


def test_nothing_before_the_deadline() -> None:
    assert overdue_finding(_assignment(), DUE - timedelta(seconds=1)) is None


def test_level_one_at_the_deadline() -> None:
    finding = overdue_finding(_assignment(), DUE)
    assert finding is not None
    assert (finding.assignment_id, finding.unit_code, finding.level) == ("d-1:VP", "VP", 1)
    assert finding.due_at == DUE


def test_a_fired_level_does_not_fire_again() -> None:
    assert overdue_finding(_assignment(overdue_level=1), DUE + timedelta(days=30)) is None


def test_closed_assignments_are_never_overdue() -> None:
    for status in ("completed", "cancelled"):
        assert overdue_finding(_assignment(status=status), DUE + timedelta(days=1)) is None
