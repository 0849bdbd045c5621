"""The takeover's read-ahead: every page once, in order, and a failed read is not swallowed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.tracker.takeover import prefetched


async def _pages(count: int, fail_at: int | None = None) -> AsyncIterator[int]:
    for n in range(count):
        if n == fail_at:
            raise ConnectionError("the store went away")
        yield n


async def test_read_ahead_yields_every_page_once_in_order() -> None:
    assert [p async for p in prefetched(_pages(1_000), depth=7)] == list(range(1_000))


async def test_a_failed_read_reaches_the_loader_after_what_was_read() -> None:
    seen: list[int] = []
    with pytest.raises(ConnectionError, match="went away"):
        async for page in prefetched(_pages(50, fail_at=30), depth=4):
            seen.append(page)
    assert seen == list(range(30))
