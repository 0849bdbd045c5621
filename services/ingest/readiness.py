"""Whether Kafka can take a dispatch now: a state kept up to date, not a question asked per request.

Asking the broker before every publication (``broker.ping``: a metadata request for every topic)
cost a round trip and a few hundred microseconds of CPU per dispatch. Instead a background task asks
once a ``period_s`` and keeps the answer; a publication Kafka did not acknowledge turns the state to
*not ready* at once, so the documents that follow get the honest "nothing accepted" 503 instead of
waiting for the publish timeout too, until the next probe finds Kafka back.

The window this leaves (Kafka gone since the last probe, at most ``period_s``) is the one admission
already handles: the message is handed to the producer, not acknowledged in time, answered 503
*not confirmed* with its ``dispatch_id``, and a retry republishes that same event.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from shared.logging import get_logger

log = get_logger(__name__)
Ping = Callable[[], Awaitable[bool]]


class KafkaReadiness:
    """Kafka's reachability as last probed (every ``period_s``) or as a failed publication told."""

    def __init__(self, ping: Ping, period_s: float = 1.0) -> None:
        self._ping = ping
        self._period_s = period_s
        self._ready = False
        self._task: asyncio.Task[None] | None = None

    async def ready(self) -> bool:
        """The cached state (admission's probe: no I/O)."""
        return self._ready

    def failed(self) -> None:
        """A publication was not acknowledged: not ready until a probe finds Kafka again."""
        if self._ready:
            log.warning("kafka did not acknowledge a publication: refusing until it answers")
        self._ready = False

    async def refresh(self) -> bool:
        """Probe Kafka now and keep the answer (a probe that raises counts as unreachable)."""
        try:
            answer = bool(await self._ping())
        except Exception as exc:
            log.warning("kafka probe failed", error=repr(exc))
            answer = False
        if answer != self._ready:
            log.info("kafka readiness changed", ready=answer)
        self._ready = answer
        return answer

    async def start(self) -> None:
        """Probe once, then keep probing in the background."""
        await self.refresh()
        self._task = asyncio.create_task(self._loop(), name="kafka-readiness")

    async def stop(self) -> None:
        """Stop probing."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._period_s)
            await self.refresh()
