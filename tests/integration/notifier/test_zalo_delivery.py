"""Zalo OA messages to a local stand-in of Zalo's API (a real HTTP server on 127.0.0.1): the request
shape, retries, dead letters and once-only, through the same DeliveryService as email and webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.channels.zalo import ZaloChannel, ZaloConfig
from services.notifier.delivery import (
    DeadLetterNotice,
    DeliveryService,
    InMemoryDeliveryLog,
    RetryPolicy,
)
from services.notifier.digest import digest_outgoings
from services.notifier.directory import YamlDirectory
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from shared.config_yaml import YamlDocument
from shared.organisation import organisation_from
from tests.unit.notifier.factories import SAMPLE_ORG, sample_org, signal
from tools.zalo_stand_in import ZaloStandIn

TOKEN = "oa-access-token-1"
HEAD_ID = "2468458835296117922"


@pytest.fixture
def zalo() -> Iterator[ZaloStandIn]:
    with ZaloStandIn([TOKEN]) as stand_in:
        yield stand_in


def _service(zalo: ZaloStandIn, log: InMemoryDeliveryLog | None = None,
             dead: list[DeadLetterNotice] | None = None, token: str = TOKEN) -> DeliveryService:
    async def on_dead(notice: DeadLetterNotice) -> None:
        (dead if dead is not None else []).append(notice)

    channel = ZaloChannel(ZaloConfig(api_base=zalo.url, access_token=SecretStr(token), timeout_s=5))
    return DeliveryService({"zalo": channel}, log or InMemoryDeliveryLog(), MessageRenderer("http://t"),
                           RetryPolicy(max_attempts=3, base_delay_s=0.01), on_dead_letter=on_dead)


def _directory() -> YamlDirectory:
    org: dict[str, Any] = sample_org()
    org["units"][0]["head"] |= {"zalo_user_id": HEAD_ID, "channels": ["zalo"]}
    org["leadership"]["director"] |= {"zalo_user_id": "5550001", "channels": ["email", "zalo"]}
    text = yaml.safe_dump(org, allow_unicode=True, sort_keys=False)
    return YamlDirectory(organisation_from(YamlDocument(text, str(SAMPLE_ORG))))


def _plan() -> PlannedNotification:
    [plan] = plan_notifications(signal("overdue", level=1, unit="VP"), load_policy(), _directory())
    return plan


async def test_the_overdue_notice_reaches_zalo_s_api_in_its_shape(zalo: ZaloStandIn) -> None:
    result = await _service(zalo).notify([_plan()])
    assert result.status == "delivered" and result.attempts == 1
    [request] = zalo.requests
    assert (request["method"], request["path"], request["token_ok"]) == (
        "POST", "/v3.0/oa/message/cs", True)
    assert request["headers"]["content-type"].startswith("application/json")
    assert request["headers"]["access_token"] == "<redacted>"  # recorded without the token
    assert request["body"]["recipient"] == {"user_id": HEAD_ID}
    text = request["body"]["message"]["text"]
    assert "QUÁ HẠN XỬ LÝ (MỨC 1)" in text and "http://t/dashboard/dispatches/cv-0001" in text
    assert zalo.messages() == [request["body"]]


async def test_an_invalid_token_is_recorded_as_failed_once_never_retried(zalo: ZaloStandIn) -> None:
    log, dead = InMemoryDeliveryLog(), list[DeadLetterNotice]()
    result = await _service(zalo, log, dead, token="expired").notify([_plan()])
    assert result.status == "dead_letter" and len(zalo.requests) == 1
    assert dead[0].channel == "zalo" and dead[0].keys == ("cv-0001/VP/overdue-L1/head:VP/zalo",)
    assert dead[0].reason.startswith("permanent: Zalo OA refused the access token (error -216")
    assert log.status(dead[0].keys[0]) == "failed" and zalo.messages() == []


async def test_a_busy_api_is_retried_and_the_message_sent_once(zalo: ZaloStandIn) -> None:
    zalo.fail_next = [503]
    log = InMemoryDeliveryLog()
    result = await _service(zalo, log).notify([_plan()])
    assert result.status == "delivered" and result.attempts == 2
    assert [r["status"] for r in zalo.requests] == [503, 200] and len(zalo.messages()) == 1
    again = await _service(zalo, log).notify([_plan()])  # the signal redelivered by Kafka
    assert again.status == "duplicate" and len(zalo.requests) == 2


async def test_an_api_that_stays_down_ends_in_the_dead_letters(zalo: ZaloStandIn) -> None:
    zalo.fail_next = [502] * 5
    dead: list[DeadLetterNotice] = []
    result = await _service(zalo, dead=dead).notify([_plan()])
    assert result.status == "dead_letter" and len(zalo.requests) == 3
    assert dead[0].reason.startswith("temporary, 3 attempts: Zalo OA API HTTP 502")


async def test_the_daily_digest_goes_to_a_leader_on_zalo(zalo: ZaloStandIn) -> None:
    director = _directory().director()
    message = RenderedMessage("[Vanthu] Bản tin", "Kính gửi: Giám đốc\n\nQuá hạn: 2\n--\nBáo cáo.", "")
    outgoings: list[Outgoing] = digest_outgoings(message, [director], date(2024, 2, 16))
    [zalo_out] = [o for o in outgoings if o.channel == "zalo"]
    assert (await _service(zalo).send(zalo_out)).status == "delivered"
    [body] = zalo.messages()
    assert body["recipient"] == {"user_id": "5550001"}
    assert body["message"]["text"].startswith("[Vanthu] Bản tin\n\nKính gửi: Giám đốc\n\nQuá hạn: 2")
