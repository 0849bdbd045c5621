"""The injectable clock.

Deciding code never calls ``datetime.now()`` itself: it asks a :class:`Clock`. Production uses
:class:`SystemClock`; unit tests use :class:`FixedClock`; end-to-end tests and the demo use
:class:`OffsetClock`, which runs like the wall clock but can be moved forward (and sped up), so that
no test ever sleeps through a real deadline (hạn xử lý).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""All business times are Vietnamese local time (UTC+7, no daylight saving)."""


class Clock(Protocol):
    """Something that tells the current time, always timezone-aware."""

    def now(self) -> datetime:
        """Return the current instant, timezone-aware."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; for unit tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        """Return the frozen instant."""
        return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._at += delta


class OffsetClock:
    """A simulated clock: ``start`` at wall instant ``epoch``, running ``speed`` times faster, plus an
    adjustable offset.

    ``now = start + (wall now - epoch) * speed + offset``. Processes given the same ``epoch``,
    ``start`` and ``speed`` agree on the time, which lets the demo and end-to-end tests run every
    service on one simulated clock (e.g. starting on the day a 2024 letter arrived). With the
    defaults it equals the system clock.
    """

    def __init__(self, speed: float = 1.0, offset: timedelta = timedelta(0),
                 epoch: datetime | None = None, start: datetime | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        for value in (epoch, start):
            if value is not None and value.tzinfo is None:
                raise ValueError("epoch and start must be timezone-aware")
        self._speed = speed
        self._offset = offset
        self._epoch = epoch or datetime.now(UTC)
        self._start = start or self._epoch

    def now(self) -> datetime:
        """Return the simulated current time."""
        elapsed = (datetime.now(UTC) - self._epoch) * self._speed
        return self._start + elapsed + self._offset

    def advance(self, delta: timedelta) -> None:
        """Jump forward by ``delta`` (never backwards)."""
        if delta < timedelta(0):
            raise ValueError("the clock never goes backwards")
        self._offset += delta

    @property
    def offset(self) -> timedelta:
        """How far ahead of the (accelerated) wall clock this clock runs."""
        return self._offset


def make_clock(speed: float, epoch: str = "", start: str = "") -> OffsetClock:
    """The service clock from settings; ``epoch`` and ``start`` are ISO instants (empty: now)."""
    return OffsetClock(speed=speed, epoch=datetime.fromisoformat(epoch) if epoch else None,
                       start=datetime.fromisoformat(start) if start else None)
