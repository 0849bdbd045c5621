"""Issue 13 item 6: webhooks were signed with the public secret 'change-me' unless configured. Now
the default is empty, and a webhook with no secret is never sent: the delivery fails permanently,
is recorded with the reason and dead-lettered."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from services.notifier.channels.base import Outgoing, PermanentDeliveryError
from services.notifier.channels.webhook import WebhookChannel, WebhookConfig
from services.notifier.delivery import DeadLetterNotice, DeliveryService
from services.notifier.delivery_log import InMemoryDeliveryLog
from services.notifier.escalation import plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.settings import NotifierSettings
from tests.unit.notifier.factories import sample_directory, signal


def test_the_webhook_secret_has_no_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFIER_WEBHOOK_SECRET", raising=False)
    assert NotifierSettings(_env_file=None).notifier_webhook_secret == ""  # type: ignore[call-arg]


async def test_a_webhook_without_a_secret_is_not_sent_and_ends_in_the_dead_letters() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        channel = WebhookChannel(WebhookConfig(secret=SecretStr("")), client=client)
        log, dead = InMemoryDeliveryLog(), []

        async def on_dead(notice: DeadLetterNotice) -> None:
            dead.append(notice)

        service = DeliveryService({"webhook": channel}, log, MessageRenderer("http://t"),
                                  on_dead_letter=on_dead)
        [hook] = [p for p in plan_notifications(signal("approaching"), load_policy(),
                                                sample_directory()) if p.channel == "webhook"]
        result = await service.notify([hook])
    assert requests == []  # before the fix: POSTed, signed with 'change-me'
    assert result.status == "dead_letter" and result.attempts == 1
    assert log.status(hook.key) == "failed"
    [notice] = dead
    assert notice.step == "send" and "NOTIFIER_WEBHOOK_SECRET" in notice.reason


async def test_the_channel_refuses_to_sign_with_an_empty_secret() -> None:
    [hook] = [p for p in plan_notifications(signal("approaching"), load_policy(), sample_directory())
              if p.channel == "webhook"]
    outgoing = Outgoing((hook.key,), hook.recipient, "webhook", MessageRenderer("http://t").render([hook]))
    with pytest.raises(PermanentDeliveryError, match="no webhook signing secret"):
        await WebhookChannel(WebhookConfig()).send(outgoing)
