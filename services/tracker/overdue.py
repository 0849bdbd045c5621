"""Deciding lateness (quá hạn), pure and without I/O.

An assignment is checked when its ``next_check_at`` has passed. Level 1 fires at the deadline (hạn
xử lý); each level fires once, which the repository enforces with a conditional update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

CLOSED_STATUSES = frozenset({"completed", "cancelled"})
CLAIM_LEASE = timedelta(seconds=60)
"""How long a claimed check stays reserved before another replica may retry it."""


@dataclass(frozen=True)
class OverdueFinding:
    """One assignment that has become overdue at ``level``."""

    assignment_id: str
    dispatch_id: str
    unit_code: str
    due_at: datetime
    level: int


def overdue_finding(assignment: dict[str, Any], now: datetime) -> OverdueFinding | None:
    """Return the finding to emit for ``assignment`` at ``now``, or None if nothing is due."""
    if assignment.get("status") in CLOSED_STATUSES:
        return None
    due_at: datetime = assignment["due_at"]
    level = int(assignment.get("overdue_level", 0)) + 1
    if level > 1 or now < due_at:
        return None
    return OverdueFinding(
        assignment_id=assignment["_id"],
        dispatch_id=assignment["dispatch_id"],
        unit_code=assignment["unit_code"],
        due_at=due_at,
        level=level,
    )


def next_check_after(level_fired: int, due_at: datetime) -> datetime | None:
    """Return when to look at the assignment again after ``level_fired`` (None: never)."""
    del level_fired, due_at  # one level for now; later levels add working-day offsets here
    return None
