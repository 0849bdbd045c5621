"""Vietnamese working-day arithmetic (ngày làm việc), shared by router, tracker and notifier.

A day is a working day when it is a make-up working day (ngày làm bù), or when it is Monday to Friday
and neither a public holiday nor an official extra day off. Public holidays, including lunar Tết and
the days swapped by government decision (with their Saturday make-up days), come from the
``holidays`` package (``holidays.Vietnam``); the organisation file adds only what the package lacks.

Deadline semantics, used everywhere in Vanthu:

- Days are counted from the day *after* the start, whatever the hour: "n working days from
  reception" ends on the n-th working day strictly after the reception date.
- A deadline falls at the close of that working day (:attr:`WorkCalendar.closing_time`, 17:00 by
  default), in Vietnamese local time (Asia/Ho_Chi_Minh). Every returned datetime is timezone-aware.
- ``n = 0`` means the close of the start's own date; a negative ``n`` counts working days strictly
  before the start's date (e.g. one working day before a meeting).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import holidays

from shared.clock import VIETNAM_TZ

DEFAULT_CLOSING_TIME = time(17, 0)
"""Close of the office day: a deadline counted in working days falls at this local time."""

_MAX_RUN_OF_DAYS_OFF = 366
"""A calendar with more consecutive days off than this is rejected as broken."""


class WorkCalendar:
    """Working days of a Vietnamese public body: weekends, public holidays, days off and làm bù.

    ``extra_days_off`` are official days off the ``holidays`` package does not know;
    ``makeup_working_days`` (ngày làm bù) are working days even on a weekend or holiday. A date may not
    be in both. Instances are immutable from the outside and cache the holidays per year.
    """

    def __init__(
        self,
        extra_days_off: Iterable[date] = (),
        makeup_working_days: Iterable[date] = (),
        *,
        closing_time: time = DEFAULT_CLOSING_TIME,
    ) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._makeup = frozenset(makeup_working_days)
        both = sorted(self._extra_off & self._makeup)
        if both:
            raise ValueError(f"both a day off and a make-up working day: {both[0].isoformat()}")
        if closing_time.tzinfo is not None:
            raise ValueError("closing_time is local wall time and must be naive")
        self.closing_time = closing_time
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}

    def _public(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(public holidays, package make-up working days) of ``year``, cached."""
        cached = self._years.get(year)
        if cached is None:
            vietnam = holidays.country_holidays("VN", years=year)
            cached = (
                frozenset(vietnam.keys()),
                frozenset(d for d in vietnam.weekend_workdays if d.year == year),
            )
            self._years[year] = cached
        return cached

    def is_working_day(self, d: date) -> bool:
        """Return True when ``d`` is a working day (a ``datetime`` is read as its local date)."""
        d = _local_date(d)
        if d in self._makeup:
            return True
        if d in self._extra_off:
            return False
        public_off, public_makeup = self._public(d.year)
        if d in public_makeup:
            return True
        return d.weekday() < 5 and d not in public_off

    def next_working_day(self, d: date) -> date:
        """Return the first working day strictly after ``d``."""
        return self._step(_local_date(d), 1)

    def previous_working_day(self, d: date) -> date:
        """Return the last working day strictly before ``d``."""
        return self._step(_local_date(d), -1)

    def end_of_day(self, d: date) -> datetime:
        """Return the close of the office day on ``d``, timezone-aware (Asia/Ho_Chi_Minh)."""
        return datetime.combine(_local_date(d), self.closing_time, tzinfo=VIETNAM_TZ)

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Return the close of the n-th working day after ``start`` (before it when ``n < 0``).

        ``start`` must be timezone-aware; it is read in local time and its hour does not matter:
        a dispatch received Friday at 20:00 with ``n = 1`` is due Monday at 17:00 (if Monday is a
        working day). ``n = 0`` returns the close of ``start``'s own date.
        """
        day = _local_date(start)
        step = 1 if n > 0 else -1
        for _ in range(abs(n)):
            day = self._step(day, step)
        return self.end_of_day(day)

    def working_days_between(self, a: date, b: date) -> int:
        """Count working days from ``a`` to ``b``: the inverse of :meth:`add_working_days`.

        For ``a <= b``: the working days in the half-open range ``(a, b]`` of local dates. For
        ``a > b``: minus the working days in ``[b, a)``. Hence
        ``working_days_between(s, add_working_days(s, n)) == n`` for every ``n``.
        """
        start, end = _local_date(a), _local_date(b)
        if start <= end:
            days = (start + timedelta(k) for k in range(1, (end - start).days + 1))
            return sum(1 for d in days if self.is_working_day(d))
        days = (end + timedelta(k) for k in range((start - end).days))
        return -sum(1 for d in days if self.is_working_day(d))

    def _step(self, d: date, step: int) -> date:
        for _ in range(_MAX_RUN_OF_DAYS_OFF):
            d += timedelta(days=step)
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_RUN_OF_DAYS_OFF} days of {d.isoformat()}")


def _local_date(value: date) -> date:
    """The local (Vietnamese) calendar date of a date or an aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        return value.astimezone(VIETNAM_TZ).date()
    return value
