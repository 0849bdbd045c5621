"""The injectable clock.

Deciding code never calls ``datetime.now()`` itself: it asks a :class:`Clock`. Production uses
:class:`SystemClock`; unit tests use :class:`FixedClock`; end-to-end tests and the demo use
:class:`OffsetClock`, which runs like the wall clock but can be moved forward (and sped up), so that
no test ever sleeps through a real deadline (hạn xử lý).
"""

from __future__ import annotations

import time
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
    """The wall clock, shifted by an adjustable offset and optionally running ``speed`` times faster.

    ``now = start + (monotonic elapsed) * speed + offset``. With ``speed=1`` and no offset it equals the
    system clock.
    """

    def __init__(self, speed: float = 1.0, offset: timedelta = timedelta(0)) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._speed = speed
        self._offset = offset
        self._origin_wall = datetime.now(UTC)
        self._origin_mono = time.monotonic()

    def now(self) -> datetime:
        """Return the shifted, possibly accelerated, current time."""
        elapsed = (time.monotonic() - self._origin_mono) * self._speed
        return self._origin_wall + timedelta(seconds=elapsed) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Jump forward by ``delta`` (never backwards)."""
        if delta < timedelta(0):
            raise ValueError("the clock never goes backwards")
        self._offset += delta

    @property
    def offset(self) -> timedelta:
        """How far ahead of the (accelerated) wall clock this clock runs."""
        return self._offset
