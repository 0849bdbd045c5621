"""Delivery: once per key, retries with backoff on temporary failures, dead letters, every attempt logged."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notifier.channels.base import Outgoing, PermanentDeliveryError, TemporaryDeliveryError
from services.notifier.delivery import (
    DeadLetterNotice,
    DeliveryService,
    InMemoryDeliveryLog,
    RetryPolicy,
)
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from tests.unit.notifier.factories import sample_directory, signal


@dataclass
class ScriptedChannel:
    """Fails with the scripted errors, then succeeds; remembers what it delivered."""

    failures: list[Exception] = field(default_factory=list)
    calls: int = 0
    delivered: list[Outgoing] = field(default_factory=list)

    async def send(self, outgoing: Outgoing) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append(outgoing)


@dataclass
class Harness:
    channel: ScriptedChannel
    log: InMemoryDeliveryLog
    service: DeliveryService
    sleeps: list[float]
    dead: list[DeadLetterNotice]


def _harness(*failures: Exception, attempts: int = 4) -> Harness:
    channel, log, sleeps, dead = ScriptedChannel(list(failures)), InMemoryDeliveryLog(), [], []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def on_dead(notice: DeadLetterNotice) -> None:
        dead.append(notice)

    service = DeliveryService({"email": channel}, log, MessageRenderer("http://t"),
                              RetryPolicy(max_attempts=attempts, base_delay_s=0.5), sleep=sleep,
                              rand=lambda: 1.0, on_dead_letter=on_dead)
    return Harness(channel, log, service, sleeps, dead)


def _plan(level: int = 1, dispatch_id: str = "cv-1") -> PlannedNotification:
    plans = plan_notifications(signal("overdue", level=level, dispatch_id=dispatch_id), load_policy(),
                               sample_directory())
    return next(p for p in plans if p.channel == "email")


async def test_a_redelivered_signal_sends_nothing_new() -> None:
    h = _harness()
    assert (await h.service.notify([_plan()])).status == "delivered"
    again = await h.service.notify([_plan()])  # same signal, new event id
    assert again.status == "duplicate" and again.duplicates == (_plan().key,)
    assert len(h.channel.delivered) == 1 and h.log.status(_plan().key) == "delivered"


async def test_temporary_failures_are_retried_with_growing_delays_and_every_attempt_is_recorded() -> None:
    h = _harness(TemporaryDeliveryError("SMTP 451"), TemporaryDeliveryError("HTTP 503", retry_after_s=7))
    result = await h.service.notify([_plan()])
    assert result.status == "delivered" and result.attempts == 3 and len(h.channel.delivered) == 1
    assert h.sleeps == [0.5, 7.0]  # base·2^0, then the peer's Retry-After (> base·2^1)
    assert [(a.attempt, a.outcome, a.error) for a in h.log.attempts] == [
        (1, "retrying", "SMTP 451"), (2, "retrying", "HTTP 503"), (3, "delivered", None)]


async def test_a_permanent_failure_is_dead_lettered_at_once_with_the_reason() -> None:
    h = _harness(PermanentDeliveryError("SMTP 550 no such user"))
    result = await h.service.notify([_plan()])
    assert result.status == "dead_letter" and h.channel.calls == 1 and h.sleeps == []
    assert h.dead == [result.dead_letter]
    assert result.dead_letter is not None and "SMTP 550 no such user" in result.dead_letter.reason
    assert h.log.status(_plan().key) == "failed"


async def test_exhausted_retries_end_in_the_dead_letters() -> None:
    h = _harness(*[TemporaryDeliveryError("HTTP 503")] * 10, attempts=3)
    result = await h.service.notify([_plan()])
    assert result.status == "dead_letter" and h.channel.calls == 3 and len(h.sleeps) == 2
    assert result.dead_letter and result.dead_letter.reason == "temporary, 3 attempts: HTTP 503"
    assert [a.outcome for a in h.log.attempts] == ["retrying", "retrying", "failed"]
    assert await h.service.notify([_plan()]) == type(result)("duplicate", (), (_plan().key,))


async def test_an_unexpected_channel_error_is_retried_and_a_missing_channel_is_dead_lettered() -> None:
    h = _harness(RuntimeError("bug"))
    assert (await h.service.notify([_plan()])).attempts == 2
    webhook = next(p for p in plan_notifications(signal("approaching"), load_policy(), sample_directory())
                   if p.channel == "webhook")
    result = await h.service.notify([webhook])
    assert result.status == "dead_letter" and "no channel 'webhook'" in h.dead[-1].reason


async def test_a_folded_batch_leaves_out_keys_already_sent() -> None:
    h = _harness()
    await h.service.notify([_plan(dispatch_id="a")])
    result = await h.service.notify([_plan(dispatch_id="a"), _plan(dispatch_id="b")])
    assert result.keys == (_plan(dispatch_id="b").key,) and result.duplicates == (_plan(dispatch_id="a").key,)
    assert "/dispatches/a" not in h.channel.delivered[-1].message.text
    with pytest.raises(ValueError):
        await h.service.notify([_plan(level=1), _plan(level=3)])  # two recipients


@given(st.integers(1, 30), st.floats(0, 1, exclude_max=True))
def test_backoff_is_exponential_with_jitter_and_capped(attempt: int, rand: float) -> None:
    policy = RetryPolicy(base_delay_s=1, max_delay_s=60)
    cap = min(60, 2 ** (attempt - 1))
    assert cap / 2 <= policy.delay(attempt, rand) <= cap


async def test_the_log_channel_writes_one_structured_line() -> None:
    from structlog.testing import capture_logs

    from services.notifier.channels.log import LogChannel

    service = DeliveryService({"log": LogChannel()}, InMemoryDeliveryLog(), MessageRenderer("http://t"))
    plan = _plan()
    with capture_logs() as lines:
        await service.notify([PlannedNotification(**{**plan.__dict__, "channel": "log"})])
    [line] = [x for x in lines if x["event"] == "notification"]
    assert line["recipient"] == "head:QLTM" and "Quá hạn xử lý" in line["subject"]
