"""Delivery you can trust: once per dedup key, retried with backoff, every outcome on record.

:class:`DeliveryService` walks each message through four steps, and none of them can fail silently:

- **claim** each dedup key in the :class:`~services.notifier.delivery_log.DeliveryLog` (a unique
  insert: a redelivered signal finds its keys taken and sends nothing); a claim that errors is
  retried, then given up;
- **render** the message; a renderer that raises cannot be helped by a retry, so the keys it could
  not render fail at once (in a folded batch, the others still go, rendered without them);
- **send** through the recipient's channel, retrying temporary failures with exponential backoff
  and jitter; a permanent failure, or retries exhausted, is given up;
- **record** every attempt; a record write that errors is retried, and a final outcome that cannot
  be written is given up too (the message may have gone: the reason says so).

Giving up records the failure (status ``failed``, its step and reason) on the notification record and
passes a :class:`~services.notifier.failures.DeadLetterNotice` to ``on_dead_letter`` (the dead-letter
and notification-failed topics); once that succeeded the record is marked reported. A crash at any
point leaves a record open or unreported, which the stale-claim sweep (``sweep.py``) turns into a
reported failure. Guarantee: at most once per key (see ADR 0007).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal, TypeVar

from services.notifier.channels.base import (
    Channel,
    Outgoing,
    PermanentDeliveryError,
    RenderedMessage,
    TemporaryDeliveryError,
)
from services.notifier.delivery_log import (
    AttemptRecord,
    DeliveryLog,
    InMemoryDeliveryLog,
    Outcome,
)
from services.notifier.delivery_metrics import count_failed, count_sent
from services.notifier.escalation import PlannedNotification
from services.notifier.failures import DeadLetterNotice, Step, describe_key, short_reason
from services.notifier.messages import MessageRenderer
from services.notifier.retry import RetryPolicy
from shared.logging import get_logger

__all__ = ["AttemptRecord", "DeadLetterNotice", "DeliveryLog", "DeliveryResult", "DeliveryService",
           "InMemoryDeliveryLog", "Outcome", "RetryPolicy"]
log = get_logger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class DeliveryResult:
    """What happened to one message: ``delivered``, ``duplicate`` (all keys already claimed, nothing
    sent) or ``dead_letter``; ``duplicates`` lists keys left out because they were already claimed;
    ``failures`` every give-up on the way (e.g. an item of a folded batch that did not render)."""

    status: Literal["delivered", "duplicate", "dead_letter"]
    keys: tuple[str, ...]
    duplicates: tuple[str, ...] = ()
    attempts: int = 0
    dead_letter: DeadLetterNotice | None = None
    failures: tuple[DeadLetterNotice, ...] = ()


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
        recipient, channel = items[0].recipient, items[0].channel
        fresh, dupes, failures = await self._claim([i.key for i in items], recipient.id, channel)
        todo = [i for i in items if i.key in fresh]
        good, message, broken = self._render(todo)
        for item, reason in broken:
            failures.append(await self._give_up((item.key,), recipient.id, channel, "render",
                                                reason, 0))
        if message is None:
            status: Literal["duplicate", "dead_letter"] = "dead_letter" if failures else "duplicate"
            return DeliveryResult(status, tuple(i.key for i in todo), tuple(dupes), 0,
                                  failures[-1] if failures else None, tuple(failures))
        outgoing = Outgoing(keys=tuple(i.key for i in good), recipient=recipient, channel=channel,
                            message=message, addressees=good[0].addressees, copies=good[0].copies)
        result = await self._deliver(outgoing, tuple(dupes))
        return DeliveryResult(result.status, result.keys, result.duplicates, result.attempts,
                              result.dead_letter, (*failures, *result.failures))

    async def notify_each(self, items: Sequence[PlannedNotification]) -> list[DeliveryResult]:
        """Deliver every planned notification on its own (no folding), one after the other."""
        return [await self.notify([item]) for item in items]

    async def send(self, outgoing: Outgoing) -> DeliveryResult:
        """Deliver an already rendered message (e.g. the daily digest) once per its keys."""
        fresh, dupes, failures = await self._claim(list(outgoing.keys), outgoing.recipient.id,
                                                   outgoing.channel)
        if not fresh:
            status: Literal["duplicate", "dead_letter"] = "dead_letter" if failures else "duplicate"
            return DeliveryResult(status, (), tuple(dupes), 0, failures[-1] if failures else None,
                                  tuple(failures))
        keep = Outgoing(tuple(fresh), outgoing.recipient, outgoing.channel, outgoing.message,
                        outgoing.addressees, outgoing.copies)
        return await self._deliver(keep, tuple(dupes))

    async def _retried(self, call: Callable[[], Awaitable[T]]) -> T:
        """``call()``, tried ``store_attempts`` times with backoff; the last error is raised."""
        for n in range(1, self.retry.store_attempts + 1):
            try:
                return await call()
            except Exception:
                if n == self.retry.store_attempts:
                    raise
                await self._sleep(self.retry.delay(n, self._rand()))
        raise AssertionError("unreachable")

    async def _claim(self, keys: list[str], recipient_id: str, channel: str
                     ) -> tuple[list[str], list[str], list[DeadLetterNotice]]:
        fresh: list[str] = []
        dupes: list[str] = []
        failures: list[DeadLetterNotice] = []
        for key in dict.fromkeys(keys):
            try:
                taken = await self._retried(partial(self.delivery_log.claim, key))
            except Exception as exc:
                reason = f"could not claim the key: {short_reason(exc)}; not sent"
                failures.append(await self._give_up((key,), recipient_id, channel, "claim",
                                                    reason, 0))
                continue
            (fresh if taken else dupes).append(key)
        if dupes:
            log.info("already notified, skipped", keys=dupes)
        return fresh, dupes, failures

    def _render(self, todo: list[PlannedNotification]) -> tuple[
            list[PlannedNotification], RenderedMessage | None, list[tuple[PlannedNotification, str]]]:
        """(items rendered, their message, items that cannot be rendered with the reason)."""
        if not todo:
            return [], None, []
        try:
            return todo, self.renderer.render(todo), []
        except Exception as exc:
            if len(todo) == 1:
                return [], None, [(todo[0], f"cannot render the message: {short_reason(exc)}")]
        good, broken = [], []
        for item in todo:  # a folded batch: find the items that break it, send the others
            try:
                self.renderer.render([item])
                good.append(item)
            except Exception as exc:
                broken.append((item, f"cannot render the message: {short_reason(exc)}"))
        try:
            return good, (self.renderer.render(good) if good else None), broken
        except Exception as exc:
            return [], None, [*broken, *((i, f"cannot render the message: {short_reason(exc)}")
                                         for i in good)]

    async def _record(self, keys: Sequence[str], attempt: int, outcome: Outcome, error: str | None,
                      step: Step | None = None) -> str | None:
        """Record the attempt for each key (retried); None, or why it could not be written."""
        problem = None
        for key in keys:
            try:
                await self._retried(partial(self.delivery_log.record_attempt, key, attempt,
                                            outcome, error, step))
            except Exception as exc:
                problem = short_reason(exc)
                log.error("notification record not written", key=key, outcome=outcome,
                          error=problem)
        return problem

    async def _give_up(self, keys: tuple[str, ...], recipient_id: str, channel: str, step: Step,
                       reason: str, attempts: int) -> DeadLetterNotice:
        """Record the failure, then report it (dead letter and notification-failed)."""
        problem = await self._record(keys, attempts, "failed", reason, step)
        if problem is not None:
            reason = f"{reason} (and the failure could not be recorded: {problem})"
        notice = DeadLetterNotice(keys, recipient_id, channel, reason, attempts, step)
        count_failed(keys, channel, step)
        log.warning("notification dead-lettered", keys=list(keys), step=step, reason=reason[:300],
                    dispatch_id=describe_key(keys[0]).dispatch_id if keys else None)
        if self._on_dead_letter is None:
            return notice
        try:
            await self._on_dead_letter(notice)
        except Exception as exc:  # the stale-claim sweep reports it later, from the record
            log.error("dead letter not published; the sweep will retry", keys=list(keys),
                      error=short_reason(exc))
            return notice
        try:
            await self.delivery_log.mark_reported(keys)
        except Exception as exc:
            log.warning("failure reported but not marked so", keys=list(keys), error=short_reason(exc))
        return notice

    async def _deliver(self, outgoing: Outgoing, dupes: tuple[str, ...]) -> DeliveryResult:
        channel = self.channels.get(outgoing.channel)
        attempt, reason = 0, f"permanent: no channel {outgoing.channel!r} configured"
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
                    await self._record(outgoing.keys, attempt, "retrying", str(exc))
                    after = exc.retry_after_s if isinstance(exc, TemporaryDeliveryError) else None
                    await self._sleep(self.retry.delay(attempt, self._rand(), after))
                continue
            return await self._delivered(outgoing, dupes, attempt)
        notice = await self._give_up(outgoing.keys, outgoing.recipient.id, outgoing.channel, "send",
                                     reason, attempt)
        return DeliveryResult("dead_letter", outgoing.keys, dupes, attempt, notice, (notice,))

    async def _delivered(self, outgoing: Outgoing, dupes: tuple[str, ...], attempt: int
                         ) -> DeliveryResult:
        log.info("notification delivered", keys=list(outgoing.keys), channel=outgoing.channel,
                 recipient=outgoing.recipient.id, attempts=attempt)
        count_sent(outgoing.keys, outgoing.channel)
        problem = await self._record(outgoing.keys, attempt, "delivered", None)
        if problem is None:
            return DeliveryResult("delivered", outgoing.keys, dupes, attempt)
        notice = await self._give_up(
            outgoing.keys, outgoing.recipient.id, outgoing.channel, "record",
            f"sent (attempt {attempt}), but the outcome could not be recorded: {problem}", attempt)
        return DeliveryResult("delivered", outgoing.keys, dupes, attempt, notice, (notice,))
