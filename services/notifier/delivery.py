"""Delivery you can trust: once per dedup key, retried with backoff, every attempt on record.

:class:`DeliveryService` claims each dedup key in the :class:`DeliveryLog` (a unique insert: a
redelivered signal finds its keys taken and sends nothing), renders the message, sends it through the
recipient's channel, retries temporary failures with exponential backoff and jitter, and records every
attempt. A permanent failure, or retries exhausted, ends in a :class:`DeadLetterNotice` (returned and,
if given, passed to ``on_dead_letter``) for the dead-letter topic.

Guarantee: at most once per key. A crash between the claim and the send leaves a claimed key with no
``delivered`` attempt: visible in the log, never sent twice (see ADR 0007).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from services.notifier.channels.base import (
    Channel,
    Outgoing,
    PermanentDeliveryError,
    TemporaryDeliveryError,
)
from services.notifier.escalation import PlannedNotification
from services.notifier.messages import MessageRenderer
from shared.logging import get_logger

Outcome = Literal["delivered", "retrying", "failed"]
"""Of one attempt: delivered; temporary failure to be retried; failed for good (→ dead letter)."""
log = get_logger(__name__)


class DeliveryLog(Protocol):
    """Where claims and attempts are kept. MongoDB: ``claim`` = insert ``{_id: key}`` (False on
    DuplicateKeyError); ``record_attempt`` = ``$push`` the attempt and ``$set`` the status on that
    document. Only unique inserts and plain updates: fine on FerretDB v1, no transactions."""

    async def claim(self, key: str) -> bool:
        """Take ``key``; True the first time only."""
        ...

    async def record_attempt(self, key: str, attempt: int, outcome: Outcome, error: str | None) -> None:
        """Record attempt number ``attempt`` (1-based) at delivering ``key``."""
        ...


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt, as :class:`InMemoryDeliveryLog` keeps it."""

    key: str
    attempt: int
    outcome: Outcome
    error: str | None


@dataclass
class InMemoryDeliveryLog:
    """A :class:`DeliveryLog` in a dict, for tests and local runs."""

    claimed: set[str] = field(default_factory=set)
    attempts: list[AttemptRecord] = field(default_factory=list)

    async def claim(self, key: str) -> bool:
        """True the first time ``key`` is claimed."""
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    async def record_attempt(self, key: str, attempt: int, outcome: Outcome, error: str | None) -> None:
        """Append the attempt."""
        self.attempts.append(AttemptRecord(key, attempt, outcome, error))

    def status(self, key: str) -> Outcome | None:
        """The outcome of the last attempt at ``key``."""
        return next((a.outcome for a in reversed(self.attempts) if a.key == key), None)


class RetryPolicy(BaseModel):
    """Exponential backoff with jitter: attempt n waits between d/2 and d, d = min(max, base·2^(n-1))."""

    model_config = ConfigDict(frozen=True)

    max_attempts: int = Field(default=5, ge=1)
    base_delay_s: float = Field(default=1.0, ge=0)
    max_delay_s: float = Field(default=60.0, ge=0)

    def delay(self, attempt: int, rand: float, retry_after_s: float | None = None) -> float:
        """Seconds to wait after failed attempt ``attempt``; ``rand`` in [0, 1)."""
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        wait = cap / 2 + rand * cap / 2
        return float(min(max(wait, retry_after_s or 0.0), self.max_delay_s))


@dataclass(frozen=True)
class DeadLetterNotice:
    """A message that could not be delivered, with the reason, for the dead-letter topic."""

    keys: tuple[str, ...]
    recipient_id: str
    channel: str
    reason: str
    attempts: int


@dataclass(frozen=True)
class DeliveryResult:
    """What happened to one message: ``delivered``, ``duplicate`` (all keys already claimed, nothing
    sent) or ``dead_letter``; ``duplicates`` lists keys left out because they were already claimed."""

    status: Literal["delivered", "duplicate", "dead_letter"]
    keys: tuple[str, ...]
    duplicates: tuple[str, ...] = ()
    attempts: int = 0
    dead_letter: DeadLetterNotice | None = None


class DeliveryService:
    """The delivery entry point: :meth:`notify` planned notifications, or :meth:`send` a rendered one."""

    def __init__(self, channels: Mapping[str, Channel], delivery_log: DeliveryLog,
                 renderer: MessageRenderer, retry: RetryPolicy | None = None, *,
                 on_dead_letter: Callable[[DeadLetterNotice], Awaitable[None]] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rand: Callable[[], float] = random.random) -> None:
        self.channels, self.delivery_log, self.renderer = channels, delivery_log, renderer
        self.retry = retry or RetryPolicy()
        self._on_dead_letter, self._sleep, self._rand = on_dead_letter, sleep, rand

    async def notify(self, items: Sequence[PlannedNotification]) -> DeliveryResult:
        """Deliver ``items`` (one recipient and channel; one item, or a folded batch) as one message."""
        if not items or len({(i.recipient.id, i.channel) for i in items}) != 1:
            raise ValueError("notify() takes a non-empty batch for one recipient and channel")
        fresh, dupes = await self._claim([i.key for i in items])
        todo = [i for i in items if i.key in fresh]
        if not todo:
            return DeliveryResult("duplicate", (), tuple(dupes))
        outgoing = Outgoing(keys=tuple(i.key for i in todo), recipient=todo[0].recipient,
                            channel=todo[0].channel, message=self.renderer.render(todo),
                            addressees=todo[0].addressees, copies=todo[0].copies)
        return await self._deliver(outgoing, tuple(dupes))

    async def notify_each(self, items: Sequence[PlannedNotification]) -> list[DeliveryResult]:
        """Deliver every planned notification on its own (no folding), one after the other."""
        return [await self.notify([item]) for item in items]

    async def send(self, outgoing: Outgoing) -> DeliveryResult:
        """Deliver an already rendered message (e.g. the daily digest) once per its keys."""
        fresh, dupes = await self._claim(list(outgoing.keys))
        if not fresh:
            return DeliveryResult("duplicate", (), tuple(dupes))
        keep = Outgoing(tuple(fresh), outgoing.recipient, outgoing.channel, outgoing.message,
                        outgoing.addressees, outgoing.copies)
        return await self._deliver(keep, tuple(dupes))

    async def _claim(self, keys: list[str]) -> tuple[list[str], list[str]]:
        fresh: list[str] = []
        dupes: list[str] = []
        for key in dict.fromkeys(keys):
            (fresh if await self.delivery_log.claim(key) else dupes).append(key)
        if dupes:
            log.info("already notified, skipped", keys=dupes)
        return fresh, dupes

    async def _record(self, outgoing: Outgoing, attempt: int, outcome: Outcome, error: str | None) -> None:
        for key in outgoing.keys:
            await self.delivery_log.record_attempt(key, attempt, outcome, error)

    async def _deliver(self, outgoing: Outgoing, dupes: tuple[str, ...]) -> DeliveryResult:
        channel = self.channels.get(outgoing.channel)
        attempt, reason = 0, f"no channel {outgoing.channel!r} configured"
        while channel is not None and attempt < self.retry.max_attempts:
            attempt += 1
            try:
                await channel.send(outgoing)
            except PermanentDeliveryError as exc:
                reason = f"permanent: {exc}"
                break
            except Exception as exc:  # TemporaryDeliveryError, or a bug in a channel: retried
                reason = f"temporary, {attempt} attempts: {exc}"
                if attempt < self.retry.max_attempts:
                    await self._record(outgoing, attempt, "retrying", str(exc))
                    after = exc.retry_after_s if isinstance(exc, TemporaryDeliveryError) else None
                    await self._sleep(self.retry.delay(attempt, self._rand(), after))
                continue
            await self._record(outgoing, attempt, "delivered", None)
            log.info("notification delivered", keys=list(outgoing.keys), channel=outgoing.channel,
                     recipient=outgoing.recipient.id, attempts=attempt)
            return DeliveryResult("delivered", outgoing.keys, dupes, attempt)
        await self._record(outgoing, max(attempt, 1), "failed", reason)
        notice = DeadLetterNotice(outgoing.keys, outgoing.recipient.id, outgoing.channel, reason,
                                  attempt)
        log.warning("notification dead-lettered", keys=list(outgoing.keys), reason=reason)
        if self._on_dead_letter is not None:
            await self._on_dead_letter(notice)
        return DeliveryResult("dead_letter", outgoing.keys, dupes, attempt, notice)
