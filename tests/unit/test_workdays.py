"""Vietnamese working-day arithmetic: weekends, public holidays (Tết included), days off, làm bù."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar

CALENDAR = WorkCalendar(extra_days_off=[date(2025, 3, 10)], makeup_working_days=[date(2025, 3, 15)])
VIETNAM = holidays.country_holidays("VN", years=range(2020, 2028))
MAKEUP = {date(2024, 5, 4), date(2025, 4, 26), date(2025, 3, 15), *VIETNAM.weekend_workdays}
"""Make-up Saturdays (ngày làm bù): ours, and every one the holidays package knows (e.g. 22/08/2026)."""

starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 6, 30),
                      timezones=st.just(VIETNAM_TZ))
steps = st.integers(min_value=-40, max_value=40)
examples = settings(max_examples=60, deadline=None)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def test_seven_working_days_from_6_february_2024_skip_the_whole_tet_week() -> None:
    calendar = WorkCalendar()
    received = local(2024, 2, 6, 14, 0)
    assert calendar.add_working_days(received, 1) == local(2024, 2, 7, 17, 0)
    assert calendar.add_working_days(received, 2) == local(2024, 2, 15, 17, 0)
    assert calendar.add_working_days(received, 7) == local(2024, 2, 22, 17, 0)
    tet = [date(2024, 2, 8) + timedelta(days=k) for k in range(7)]
    assert not any(calendar.is_working_day(d) for d in tet)
    assert calendar.working_days_between(received, local(2024, 2, 16, 17, 0)) == 3


def test_swapped_days_and_make_up_saturdays_from_the_holidays_package() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_working_day(date(2024, 4, 29))  # Monday swapped ...
    assert calendar.is_working_day(date(2024, 5, 4))  # ... for Saturday 04/05/2024 (làm bù)
    assert calendar.is_working_day(date(2025, 4, 26)) and not calendar.is_working_day(date(2025, 5, 2))
    assert calendar.next_working_day(date(2024, 5, 3)) == date(2024, 5, 4)


def test_configured_days_off_and_make_up_days() -> None:
    assert not CALENDAR.is_working_day(date(2025, 3, 10))
    assert CALENDAR.is_working_day(date(2025, 3, 15))
    assert CALENDAR.previous_working_day(date(2025, 3, 11)) == date(2025, 3, 7)
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(extra_days_off=[date(2025, 3, 10)], makeup_working_days=[date(2025, 3, 10)])


def test_the_local_date_counts_and_naive_datetimes_are_refused() -> None:
    late_evening_utc = datetime(2024, 3, 4, 20, 0, tzinfo=UTC)  # Tuesday 03:00 in Vietnam
    assert CALENDAR.add_working_days(late_evening_utc, 1) == local(2024, 3, 6, 17, 0)
    assert CALENDAR.add_working_days(late_evening_utc, 0) == local(2024, 3, 5, 17, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.add_working_days(datetime(2024, 3, 4, 9, 0), 1)
    custom = WorkCalendar(closing_time=time(16, 30))
    assert custom.add_working_days(local(2024, 3, 4, 9), 1) == local(2024, 3, 5, 16, 30)


@examples
@given(starts, steps.filter(lambda n: n != 0))
def test_adding_working_days_lands_on_a_working_day(start: datetime, n: int) -> None:
    due = CALENDAR.add_working_days(start, n)
    day = due.date()
    assert due.tzinfo is VIETNAM_TZ and due.time() == time(17, 0)
    assert CALENDAR.is_working_day(day)
    assert day in MAKEUP or (day.weekday() < 5 and day not in VIETNAM and day != date(2025, 3, 10))
    assert (day > start.date()) if n > 0 else (day < start.date())


@examples
@given(starts, steps)
def test_adding_working_days_is_monotonic_in_n(start: datetime, n: int) -> None:
    assert CALENDAR.add_working_days(start, n) < CALENDAR.add_working_days(start, n + 1)


@examples
@given(starts, steps)
def test_working_days_between_inverts_add_working_days(start: datetime, n: int) -> None:
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n)) == n


@examples
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 6, 30)))
def test_next_working_day_skips_exactly_the_days_off(day: date) -> None:
    following = CALENDAR.next_working_day(day)
    assert following > day and CALENDAR.is_working_day(following)
    between = [day + timedelta(days=k) for k in range(1, (following - day).days)]
    assert not any(CALENDAR.is_working_day(d) for d in between)
    assert CALENDAR.working_days_between(day, following) == 1
