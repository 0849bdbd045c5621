"""The notifier's background loops: flush folded notifications, sweep stale claims."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from shared.logging import get_logger

log = get_logger(__name__)


async def every(interval_s: float, what: str, step: Callable[[], Awaitable[object]]) -> None:
    """Run ``step`` now and every ``interval_s`` seconds for ever; a failure is logged and retried."""
    while True:
        try:
            await step()
        except Exception:
            log.exception("background step failed; will retry", step=what)
        await asyncio.sleep(interval_s)
