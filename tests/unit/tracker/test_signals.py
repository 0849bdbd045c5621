"""When deadline signals fall due, counted in Vietnamese working days."""

from __future__ import annotations

from datetime import datetime

from services.tracker.ladder import Status
from services.tracker.signals import schedule_for
from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar

CAL = WorkCalendar()
DUE = datetime(2024, 2, 16, 0, 0, tzinfo=VIETNAM_TZ)  # letter 2: reports due before 16/02/2024
ACK = datetime(2024, 2, 7, 17, 0, tzinfo=VIETNAM_TZ)


def _local(dt: datetime) -> tuple[int, int, int]:
    local = dt.astimezone(VIETNAM_TZ)
    return local.month, local.day, local.hour


def test_escalation_levels_skip_the_weekend_and_tet() -> None:
    at = schedule_for(DUE, ACK, CAL).at
    assert at["overdue:1"] == DUE
    assert _local(at["overdue:2"]) == (2, 19, 0)  # 16/02 is a Friday: one working day later
    assert _local(at["overdue:3"]) == (2, 20, 0)
    assert _local(at["approaching"]) == (2, 15, 0)
    two_days_ahead = schedule_for(DUE, ACK, CAL, approach_working_days=2).at["approaching"]
    assert _local(two_days_ahead) == (2, 7, 0)  # Tết (08-14/02) is no working day


def test_each_signal_is_due_once_and_only_while_it_applies() -> None:
    schedule = schedule_for(DUE, ACK, CAL)
    late = datetime(2024, 2, 21, tzinfo=VIETNAM_TZ)
    assert schedule.due(late, Status.RECEIVED, set()) == [
        "unacknowledged", "approaching", "overdue:1", "overdue:2", "overdue:3"]
    assert schedule.due(late, Status.ACKNOWLEDGED, {"approaching", "overdue:1"}) == [
        "overdue:2", "overdue:3"]
    assert schedule.due(late, Status.COMPLETED, set()) == []


def test_next_check_is_the_earliest_pending_signal() -> None:
    schedule = schedule_for(DUE, ACK, CAL)
    assert schedule.next_check(Status.RECEIVED, set()) == ACK
    assert _local(schedule.next_check(Status.ACKNOWLEDGED, set()) or DUE) == (2, 15, 0)
    fired = {"unacknowledged", "approaching", "overdue:1", "overdue:2", "overdue:3"}
    assert schedule.next_check(Status.RECEIVED, fired) is None
    assert schedule.next_check(Status.COMPLETED, set()) is None
