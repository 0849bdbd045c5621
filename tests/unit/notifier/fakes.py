"""In-memory stand-ins for the notifier's tests: a broker that records, a renderer that breaks, a
delivery log whose writes fail on demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.delivery_log import InMemoryDeliveryLog, Outcome
from services.notifier.escalation import PlannedNotification
from services.notifier.failures import Step
from services.notifier.messages import MessageRenderer


@dataclass
class RecordingBroker:
    """Remembers every publish as (topic, message, key)."""

    published: list[tuple[str, Any, bytes | None]] = field(default_factory=list)
    fail: bool = False

    async def publish(self, message: Any, topic: str, key: bytes | None = None) -> None:
        if self.fail:
            raise ConnectionError("Kafka is down")
        self.published.append((topic, message, key))

    def on(self, topic: str) -> list[Any]:
        return [m for t, m, _ in self.published if t == topic]


class BrokenRenderer(MessageRenderer):
    """Raises for plans whose dispatch id is in ``broken`` (every plan when None), as a letter with a
    control character in its subject once did."""

    def __init__(self, broken: set[str] | None = None) -> None:
        super().__init__("http://t")
        self.broken = broken

    def render(self, items: Sequence[PlannedNotification]) -> RenderedMessage:
        if self.broken is None or any(i.dispatch_id in self.broken for i in items):
            raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes "
                             "or control characters")
        return super().render(items)


@dataclass
class FlakyLog(InMemoryDeliveryLog):
    """Claims and record writes fail with the scripted errors first (``*_failures``; -1: always)."""

    claim_failures: int = 0
    record_failures: int = 0
    record_fails_on: set[str] = field(default_factory=lambda: {"delivered", "retrying", "failed"})

    async def claim(self, key: str) -> bool:
        if self.claim_failures:
            self.claim_failures -= 1
            raise ConnectionError("FerretDB unreachable")
        return await super().claim(key)

    async def record_attempt(self, key: str, attempt: int, outcome: Outcome, error: str | None,
                             step: Step | None = None) -> None:
        if self.record_failures and outcome in self.record_fails_on:
            self.record_failures -= 1
            raise ConnectionError("FerretDB unreachable")
        await super().record_attempt(key, attempt, outcome, error, step)


@dataclass
class SpyChannel:
    """Delivers and remembers every outgoing message."""

    delivered: list[Outgoing] = field(default_factory=list)

    async def send(self, outgoing: Outgoing) -> None:
        self.delivered.append(outgoing)
