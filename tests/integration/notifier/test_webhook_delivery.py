"""Signed webhooks to a real HTTP receiver: signature, retries on 503, dead letters, once only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import SecretStr

from services.notifier.channels.webhook import WebhookChannel, WebhookConfig, verify_signature
from services.notifier.delivery import (
    DeadLetterNotice,
    DeliveryService,
    InMemoryDeliveryLog,
    RetryPolicy,
)
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from tests.integration.notifier.conftest import WebhookReceiver
from tests.unit.notifier.factories import sample_directory, signal

SECRET = "khoa-bi-mat"


def _service(log: InMemoryDeliveryLog | None = None,
             dead: list[DeadLetterNotice] | None = None) -> DeliveryService:
    async def on_dead(notice: DeadLetterNotice) -> None:
        (dead if dead is not None else []).append(notice)

    channel = WebhookChannel(WebhookConfig(secret=SecretStr(SECRET), timeout_s=5))
    return DeliveryService({"webhook": channel}, log or InMemoryDeliveryLog(), MessageRenderer("http://t"),
                           RetryPolicy(max_attempts=4, base_delay_s=0.01), on_dead_letter=on_dead)


def _hook_plan(receiver: WebhookReceiver, level: int = 2) -> PlannedNotification:
    plans = plan_notifications(signal("overdue", level=level), load_policy(), sample_directory(receiver.url))
    return next(p for p in plans if p.channel == "webhook")


async def test_the_receiver_can_verify_the_signature_and_read_the_message(
        webhook_receiver: WebhookReceiver) -> None:
    result = await _service().notify([_hook_plan(webhook_receiver)])
    assert result.status == "delivered"
    [(path, headers, body, _)] = webhook_receiver.requests
    assert path == "/hooks/VP" and headers["content-type"].startswith("application/json")
    now = datetime.now(UTC)
    assert verify_signature(SECRET, headers["x-vanthu-timestamp"], body, headers["x-vanthu-signature"], now)
    assert not verify_signature(SECRET, headers["x-vanthu-timestamp"], body + b" ",
                                headers["x-vanthu-signature"], now)
    assert not verify_signature(SECRET, headers["x-vanthu-timestamp"], body, headers["x-vanthu-signature"],
                                now.timestamp() + 600)
    payload = json.loads(body)
    assert payload["keys"] == ["cv-0001/QLTM/overdue-L2/unit:VP/webhook"]
    assert payload["subject"].startswith("[Vanthu] Quá hạn xử lý (mức 2)")
    assert payload["data"]["items"][0]["link"] == "http://t/dashboard/dispatches/cv-0001"


async def test_a_receiver_failing_twice_then_succeeding_gets_exactly_one_delivery(
        webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.statuses = [503, 503]
    log = InMemoryDeliveryLog()
    result = await _service(log).notify([_hook_plan(webhook_receiver)])
    assert result.status == "delivered" and result.attempts == 3
    assert [r[3] for r in webhook_receiver.requests] == [503, 503, 200]
    assert len(webhook_receiver.accepted) == 1
    assert len({r[1]["idempotency-key"] for r in webhook_receiver.requests}) == 1  # same across retries
    assert [a.outcome for a in log.attempts] == ["retrying", "retrying", "delivered"]
    again = await _service(log).notify([_hook_plan(webhook_receiver)])  # redelivered signal
    assert again.status == "duplicate" and len(webhook_receiver.requests) == 3


async def test_a_receiver_that_always_fails_ends_in_the_dead_letters_with_the_reason(
        webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.statuses = [503] * 10
    dead: list[DeadLetterNotice] = []
    result = await _service(dead=dead).notify([_hook_plan(webhook_receiver)])
    assert result.status == "dead_letter" and len(webhook_receiver.requests) == 4
    assert dead == [result.dead_letter]
    assert dead[0].reason.startswith("temporary, 4 attempts: HTTP 503")
    assert dead[0].keys == ("cv-0001/QLTM/overdue-L2/unit:VP/webhook",) and dead[0].channel == "webhook"


async def test_a_client_error_is_permanent_and_not_retried(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.statuses = [410]
    result = await _service().notify([_hook_plan(webhook_receiver)])
    assert result.status == "dead_letter" and len(webhook_receiver.requests) == 1
    assert result.dead_letter and result.dead_letter.reason.startswith("permanent: HTTP 410")


async def test_429_is_retried(webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.statuses = [429]
    assert (await _service().notify([_hook_plan(webhook_receiver)])).attempts == 2
