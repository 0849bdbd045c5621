"""When a tracker signal is due for an assignment. Pure: the calendar and the clock are passed in.

Signals, each fired once per assignment:
- ``unacknowledged``: at the acknowledgement deadline, if still only received;
- ``approaching``: ``approach_working_days`` before the deadline (default one), if not completed;
- ``overdue:1`` at the deadline, ``overdue:2`` one working day later, ``overdue:3`` two, if not completed.
Completing stops every signal; acknowledging stops only ``unacknowledged``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.tracker.ladder import CLOSED, Status
from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar

SIGNALS = ("unacknowledged", "approaching", "overdue:1", "overdue:2", "overdue:3")


@dataclass(frozen=True)
class Schedule:
    """The instants at which each signal of one assignment becomes due."""

    at: dict[str, datetime]

    def due_between(self, since: float, now: datetime, status: Status) -> list[str]:
        """Signals whose instant lies in [``since``, ``now``] (``since`` a POSIX timestamp: when the
        detector last left off for this assignment) and that still apply to ``status``."""
        return [s for s in SIGNALS if s in self.at and since <= self.at[s].timestamp()
                and self.at[s] <= now and applies(s, status)]

    def next_after(self, now: datetime, status: Status) -> datetime | None:
        """The earliest instant after ``now`` at which an applicable signal becomes due."""
        pending = [t for s, t in self.at.items() if t > now and applies(s, status)]
        return min(pending) if pending else None


def round_id(assignment_id: str, round_: int = 0) -> str:
    """An assignment's id, plus its round once it was reopened (a new round's signals fire anew)."""
    return f"{assignment_id}:r{round_}" if round_ else assignment_id


def claim_id(assignment_id: str, round_: int, signal: str) -> str:
    """The id under which ``signal`` of this round of the assignment is claimed and receipted."""
    return f"{round_id(assignment_id, round_)}:{signal}"


def applies(signal: str, status: Status) -> bool:
    """Whether ``signal`` still concerns an assignment in ``status``."""
    if status in CLOSED:
        return False
    if signal == "unacknowledged":
        return status is Status.RECEIVED
    return True


def shift_working_days(moment: datetime, n: int, calendar: WorkCalendar) -> datetime:
    """The same local clock time, ``n`` working days later (earlier when ``n < 0``).

    A deadline of 16/02 00:00 is one working day overdue at 19/02 00:00 when 16/02 is a Friday, and
    its reminder one working day before falls at 15/02 00:00.
    """
    local = moment.astimezone(VIETNAM_TZ)
    day = local.date()
    for _ in range(abs(n)):
        day = calendar.next_working_day(day) if n > 0 else calendar.previous_working_day(day)
    return datetime.combine(day, local.timetz())


def schedule_for(due_at: datetime, ack_due_at: datetime | None, calendar: WorkCalendar,
                 approach_working_days: int = 1) -> Schedule:
    """Compute every signal's instant for an assignment due at ``due_at``."""
    at: dict[str, datetime] = {
        "overdue:1": due_at,
        "overdue:2": shift_working_days(due_at, 1, calendar),
        "overdue:3": shift_working_days(due_at, 2, calendar),
    }
    if approach_working_days > 0:
        at["approaching"] = shift_working_days(due_at, -approach_working_days, calendar)
    if ack_due_at is not None:
        at["unacknowledged"] = ack_due_at
    return Schedule(at)
