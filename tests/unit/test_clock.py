"""The injectable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import FixedClock, OffsetClock


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2024, 2, 9, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2024, 2, 10, tzinfo=UTC)


def test_fixed_clock_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone"):
        FixedClock(datetime(2024, 2, 9))


def test_offset_clock_jumps_forward_but_never_back() -> None:
    clock = OffsetClock()
    before = clock.now()
    clock.advance(timedelta(days=3))
    assert clock.now() - before >= timedelta(days=3)
    assert clock.offset == timedelta(days=3)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_accelerated_clock_runs_faster_than_the_wall() -> None:
    clock = OffsetClock(speed=3600.0)
    start = clock.now()
    wall_start = datetime.now(UTC)
    while datetime.now(UTC) - wall_start < timedelta(milliseconds=20):
        pass
    assert clock.now() - start >= timedelta(seconds=60)
