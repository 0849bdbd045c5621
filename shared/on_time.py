"""The on-time rate (tỷ lệ đúng hạn): its one definition, used by the dashboard, the report and the
digest alike. Pure: no I/O.

Per unit, over the assignments made in a window:

- *on time*: completed by its deadline;
- *late*: completed after its deadline;
- *open overdue*: not completed (nor declined, transferred or cancelled) and past its deadline;
- *rate* = on time ÷ (on time + late + open overdue), rounded to three decimals; None when nothing
  counts yet, so a unit with nothing due shows "no figure" rather than 0 %.

Assignments declined, transferred or cancelled count as received and nothing else; open ones not yet
due count as received and open.

Every count is against the deadline in force: once an extension (xin gia hạn) is approved, the
approved one. *Extended* counts the assignments whose deadline was extended (beside the rate, not
part of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

Outcome = Literal["on_time", "late", "overdue", "pending", "closed"]
"""Where one assignment stands for the rate: completed on time or late, open and overdue, open and
not yet due (pending), or closed without completion (declined, transferred, cancelled)."""

RATE_DIGITS = 3
"""Decimals the rate is rounded to (0.667, not 0.6666…), everywhere it is shown or sent."""


@dataclass(frozen=True)
class AssignmentFacts:
    """What the rate needs to know about one assignment."""

    unit_code: str
    due_at: datetime
    is_open: bool
    """Not completed, declined, transferred or cancelled."""
    completed_on_time: bool | None = None
    """For a completed assignment, whether it was completed by its deadline; None otherwise."""
    extended: bool = False
    """Whether its deadline was extended (``due_at`` is then the approved one)."""


def outcome(facts: AssignmentFacts, now: datetime) -> Outcome:
    """Classify one assignment at ``now`` (see the module docstring)."""
    if facts.completed_on_time is not None:
        return "on_time" if facts.completed_on_time else "late"
    if not facts.is_open:
        return "closed"
    return "overdue" if facts.due_at <= now else "pending"


def rate(on_time: int, late: int, open_overdue: int) -> float | None:
    """on time ÷ (on time + late + open overdue), rounded; None when the denominator is 0."""
    counted = on_time + late + open_overdue
    return round(on_time / counted, RATE_DIGITS) if counted else None


@dataclass(frozen=True)
class UnitOnTime:
    """One unit's figures: the rows of ``GET /reports/on-time``, the dashboard's bars and the digest."""

    unit_code: str
    received: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    open_overdue: int = 0
    open: int = 0
    extended: int = 0
    """Assignments whose deadline was extended (not part of the rate)."""

    @property
    def counted(self) -> int:
        """The rate's denominator: on time + late + open overdue."""
        return self.completed_on_time + self.completed_late + self.open_overdue

    @property
    def on_time_rate(self) -> float | None:
        """This unit's on-time rate (see :func:`rate`)."""
        return rate(self.completed_on_time, self.completed_late, self.open_overdue)

    def as_dict(self) -> dict[str, Any]:
        """The counts and the rate as a plain dict (a report row, a JSON object)."""
        return {**asdict(self), "on_time_rate": self.on_time_rate}

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> UnitOnTime:
        """Read back a row written by :meth:`as_dict` (the rate is recomputed, not trusted)."""
        return cls(str(row["unit_code"]), *(int(row.get(k) or 0) for k in _COUNTS))


_COUNTS = ("received", "completed_on_time", "completed_late", "open_overdue", "open", "extended")


def on_time_by_unit(assignments: Iterable[AssignmentFacts], now: datetime) -> list[UnitOnTime]:
    """Per unit (sorted by code), the counts and rate over ``assignments`` (already the window's)."""
    counts: dict[str, dict[str, int]] = {}
    for facts in assignments:
        row = counts.setdefault(facts.unit_code, dict.fromkeys(_COUNTS, 0))
        row["received"] += 1
        state = outcome(facts, now)
        if state == "on_time":
            row["completed_on_time"] += 1
        elif state == "late":
            row["completed_late"] += 1
        elif state == "overdue":
            row["open_overdue"] += 1
        if facts.is_open:
            row["open"] += 1
        if facts.extended:
            row["extended"] += 1
    return [UnitOnTime(unit, **row) for unit, row in sorted(counts.items())]


def overall_rate(units: Iterable[UnitOnTime]) -> float | None:
    """The same rate over every unit together (sums of the counts, not a mean of rates)."""
    rows = list(units)
    return rate(sum(u.completed_on_time for u in rows), sum(u.completed_late for u in rows),
                sum(u.open_overdue for u in rows))
