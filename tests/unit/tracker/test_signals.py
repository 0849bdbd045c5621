"""When deadline signals fall due, counted in Vietnamese working days."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.tracker.ladder import Status
from services.tracker.signals import claim_id, schedule_for
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


def test_signals_are_due_between_where_the_detector_left_off_and_now_while_they_apply() -> None:
    schedule = schedule_for(DUE, ACK, CAL)
    late = datetime(2024, 2, 21, tzinfo=VIETNAM_TZ)
    everything = ["unacknowledged", "approaching", "overdue:1", "overdue:2", "overdue:3"]
    assert schedule.due_between(0.0, late, Status.RECEIVED) == everything
    after_reminder = schedule.at["overdue:1"].timestamp()
    assert schedule.due_between(after_reminder, late, Status.ACKNOWLEDGED) == [
        "overdue:1", "overdue:2", "overdue:3"]
    assert schedule.due_between(0.0, late, Status.ACKNOWLEDGED)[0] == "approaching"
    assert schedule.due_between(0.0, late, Status.COMPLETED) == []
    assert schedule.due_between(0.0, ACK, Status.RECEIVED) == ["unacknowledged"]


def test_next_is_the_earliest_applicable_signal_after_now() -> None:
    schedule = schedule_for(DUE, ACK, CAL)
    before = ACK - timedelta(days=1)
    assert schedule.next_after(before, Status.RECEIVED) == ACK
    assert _local(schedule.next_after(before, Status.ACKNOWLEDGED) or DUE) == (2, 15, 0)
    assert schedule.next_after(ACK, Status.RECEIVED) == schedule.at["approaching"]  # strictly after
    assert schedule.next_after(schedule.at["overdue:3"], Status.RECEIVED) is None
    assert schedule.next_after(before, Status.COMPLETED) is None


def test_a_reopened_round_has_its_own_claim_ids() -> None:
    assert claim_id("d1:VP", 0, "overdue:1") == "d1:VP:overdue:1"
    assert claim_id("d1:VP", 2, "overdue:1") == "d1:VP:r2:overdue:1"
