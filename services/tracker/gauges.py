"""The tracker's gauges read on scrape: open blockers and pending requests for a later deadline.

Each is a count by ``status`` (indexed) in a small collection, read at most once every
``every_s`` seconds however often Prometheus scrapes: FerretDB v1 counts by reading the matching
documents, so the cost is bounded by the scrape-independent interval, not the scrape rate. Both
count the whole store, so every tracker replica reports the same value (dashboards take ``max``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from shared import metrics

Count = Callable[[], Awaitable[int]]
REFRESH_EVERY_S = 30.0


class StoreGauges:
    """Refreshes :data:`shared.metrics.OPEN_BLOCKERS` and ``PENDING_EXTENSIONS`` from the store."""

    def __init__(self, open_blockers: Count, pending_extensions: Count,
                 every_s: float = REFRESH_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._counts = (open_blockers, pending_extensions)
        self._every_s, self._clock = every_s, clock
        self._at: float | None = None

    async def refresh(self) -> None:
        """Count again if the last count is older than ``every_s`` (the ``/metrics`` hook)."""
        now = self._clock()
        if self._at is not None and now - self._at < self._every_s:
            return
        self._at = now
        blockers, extensions = await asyncio.gather(*(count() for count in self._counts))
        metrics.OPEN_BLOCKERS.set(blockers)
        metrics.PENDING_EXTENSIONS.set(extensions)
