"""What the notifier does when it starts and stops, besides Kafka: its background loops.

At start: indexes, the held notifications reloaded from MongoDB, then three loops (flush folded
batches every second, sweep stale claims, the daily digest when a tracker token is set). At stop:
the loops are cancelled and every held notification is sent; one that cannot be stays stored for
the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from services.notifier.background import every
from shared.logging import get_logger

log = get_logger(__name__)

Step = Callable[[], Awaitable[object]]


class BackgroundLoops:
    """The notifier's loops, started after its resources are ready and stopped before they close."""

    def __init__(self, *, prepare: list[Step], flush: Callable[..., Awaitable[object]],
                 sweep: Step, sweep_interval_s: float,
                 digest: Callable[[], Coroutine[Any, Any, None]] | None) -> None:
        self.prepare, self.flush, self.sweep = prepare, flush, sweep
        self.sweep_interval_s, self.digest = sweep_interval_s, digest
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Run the preparation steps in order, then start the loops."""
        for step in self.prepare:
            await step()
        self.tasks.append(asyncio.create_task(every(1.0, "flush", self.flush), name="flush"))
        self.tasks.append(asyncio.create_task(every(self.sweep_interval_s, "sweep", self.sweep),
                                              name="stale-claim-sweep"))
        if self.digest is not None:
            self.tasks.append(asyncio.create_task(self.digest(), name="daily-digest"))

    async def stop(self) -> None:
        """Cancel the loops, then send everything still held."""
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.tasks.clear()
        try:
            await self.flush(everything=True)
        except Exception:  # they stay in held_notifications: the next start sends them
            log.exception("held notifications not flushed at shutdown; kept for the next start")
