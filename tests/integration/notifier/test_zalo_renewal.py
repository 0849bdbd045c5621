"""The Zalo OA access token renewed by the notifier itself: against the local stand-in of Zalo's
OAuth endpoint and OA API (real HTTP servers on 127.0.0.1), the pair kept in the notifier's real
store (FerretDB), as two replicas and a restart see it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from services.notifier.channels.base import Outgoing, PermanentDeliveryError, RenderedMessage
from services.notifier.channels.zalo import ZaloChannel, ZaloConfig
from services.notifier.channels.zalo_oauth import ZaloAppConfig
from services.notifier.directory import Contact
from services.notifier.repository import ZaloTokenRepository
from services.notifier.zalo_tokens import ZaloTokens
from tools.zalo_stand_in import ZALO_OAUTH_PATH, ZaloStandIn

pytestmark = pytest.mark.infra

APP = ("4291763606161179100", "app-secret-key")
SEED = "seed-refresh-token"
HEAD = Contact(id="head:VP", name="Chánh Văn phòng", zalo_user_id="2468458835296117922")


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 30, 8, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def zalo() -> Iterator[ZaloStandIn]:
    with ZaloStandIn([], app=APP, refresh_tokens=[SEED]) as stand_in:
        yield stand_in


@pytest.fixture
async def store(infra: Any) -> AsyncIterator[ZaloTokenRepository]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    yield ZaloTokenRepository(client[f"test_{uuid.uuid4().hex[:12]}"])
    await client.close()


def _channel(zalo: ZaloStandIn, store: ZaloTokenRepository, clock: Clock,
             seed: str = SEED) -> ZaloChannel:
    app = ZaloAppConfig(oauth_base=zalo.url, app_id=APP[0], app_secret=SecretStr(APP[1]),
                        refresh_token=SecretStr(seed), timeout_s=5)
    return ZaloChannel(ZaloConfig(api_base=zalo.url, timeout_s=5),
                       tokens=ZaloTokens(app, store, clock.now, wait_s=0.05))


def _outgoing(n: int = 1) -> Outgoing:
    return Outgoing(keys=(f"cv-{n}/VP/overdue-L1/head:VP/zalo",), recipient=HEAD, channel="zalo",
                    message=RenderedMessage(subject=f"QUÁ HẠN {n}", text="Nội dung", html=""))


def _renewal_requests(zalo: ZaloStandIn) -> list[dict[str, Any]]:
    return [r for r in zalo.requests if r["path"] == ZALO_OAUTH_PATH]


async def test_the_first_send_renews_from_the_configured_token_then_reuses_the_new_one(
        zalo: ZaloStandIn, store: ZaloTokenRepository) -> None:
    channel = _channel(zalo, store, Clock())
    await channel.send(_outgoing(1))
    await channel.send(_outgoing(2))
    [(access, refresh)] = zalo.renewals
    [renewal] = _renewal_requests(zalo)
    assert renewal["headers"]["secret_key"] == "<redacted>"
    assert renewal["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert renewal["body"] == {"app_id": APP[0], "grant_type": "refresh_token",
                               "refresh_token": "<redacted>"}
    assert len(zalo.messages()) == 2
    assert all(r["token_ok"] for r in zalo.requests if r["path"] != ZALO_OAUTH_PATH)
    stored = await store.zalo_pair()
    assert stored is not None and (stored.access_token, stored.refresh_token) == (access, refresh)


async def test_a_token_near_its_expiry_is_renewed_with_the_last_refresh_token(
        zalo: ZaloStandIn, store: ZaloTokenRepository) -> None:
    clock = Clock()
    channel = _channel(zalo, store, clock)
    await channel.send(_outgoing(1))
    clock.at += timedelta(hours=24, minutes=30)  # 25 h tokens, renewed an hour before
    await channel.send(_outgoing(2))
    assert len(zalo.renewals) == 2 and len(zalo.messages()) == 2
    assert zalo.refresh_tokens == {zalo.renewals[1][1]}  # the first two were spent, once each


async def test_a_refused_token_is_renewed_and_the_message_sent_once(
        zalo: ZaloStandIn, store: ZaloTokenRepository) -> None:
    channel = _channel(zalo, store, Clock())
    await channel.send(_outgoing(1))
    zalo.revoke(zalo.renewals[0][0])  # revoked early, as Zalo may
    await channel.send(_outgoing(2))
    assert [r["answer"].get("error") for r in zalo.requests if r["path"] != ZALO_OAUTH_PATH] == [
        0, -216, 0]
    assert len(zalo.renewals) == 2 and len(zalo.messages()) == 2


async def test_a_refused_refresh_token_is_permanent_and_never_quoted(
        zalo: ZaloStandIn, store: ZaloTokenRepository) -> None:
    channel = _channel(zalo, store, Clock(), seed="spent-long-ago")
    with pytest.raises(PermanentDeliveryError) as refused:
        await channel.send(_outgoing(1))
    assert "authorise the app again" in str(refused.value)
    assert "spent-long-ago" not in str(refused.value) and zalo.messages() == []


async def test_two_notifiers_spend_each_refresh_token_once(
        zalo: ZaloStandIn, store: ZaloTokenRepository) -> None:
    clock = Clock()
    one, two = _channel(zalo, store, clock), _channel(zalo, store, clock)
    await asyncio.gather(*(channel.send(_outgoing(n)) for n in range(10)
                           for channel in (one, two)))
    assert len(zalo.renewals) == 1 and len(_renewal_requests(zalo)) == 1
    assert len(zalo.messages()) == 20


async def test_a_restart_continues_the_chain_and_a_new_seed_restarts_it(
        zalo: ZaloStandIn, store: ZaloTokenRepository) -> None:
    clock = Clock()
    await _channel(zalo, store, clock).send(_outgoing(1))
    await _channel(zalo, store, clock).send(_outgoing(2))  # restarted with the same settings
    assert len(zalo.renewals) == 1
    zalo.refresh_tokens.add("seed-after-authorising-again")
    await _channel(zalo, store, clock, seed="seed-after-authorising-again").send(_outgoing(3))
    assert len(zalo.renewals) == 2 and len(zalo.messages()) == 3
