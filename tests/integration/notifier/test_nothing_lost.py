"""Nothing lost, against real FerretDB and Kafka: a renderer that raises ends as a failed record
(step and reason, shown by GET /notifications' query) plus a DeadLetter and a NotificationFailed on
Kafka; a stale claim is swept into one; held notifications survive a restart."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from services.notifier.coalescing import Coalescer
from services.notifier.delivery import DeliveryService, RetryPolicy
from services.notifier.escalation import plan_notifications
from services.notifier.handlers import NotifierHandlers
from services.notifier.holding import HeldNotifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.repository import NotificationRepository
from services.notifier.settings import NotifierSettings
from services.notifier.sweep import ClaimSweeper
from shared import topics
from shared.clock import FixedClock
from shared.kafka import ensure_topics, make_broker
from tests.kafka_reader import read_topic
from tests.unit.notifier.factories import sample_directory, signal
from tests.unit.notifier.fakes import BrokenRenderer, SpyChannel

pytestmark = pytest.mark.infra
POLICY = load_policy()


@pytest.fixture
async def parts(infra: Any) -> AsyncIterator[tuple[NotificationRepository, KafkaBroker]]:
    await ensure_topics(NotifierSettings(kafka_bootstrap_servers=infra.kafka_bootstrap))
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    repo = NotificationRepository(client[f"test_{uuid.uuid4().hex[:12]}"])
    await repo.create_indexes()
    broker = make_broker(NotifierSettings(kafka_bootstrap_servers=infra.kafka_bootstrap), "test")
    await broker.start()
    yield repo, broker
    await broker.stop()
    await client.close()


async def _read(infra: Any, topic: str, match: Callable[[dict[str, Any]], bool]
                ) -> list[dict[str, Any]]:
    """The matching messages of ``topic``, waiting up to 10 s for the first to show."""
    for _ in range(20):
        if found := [m for m in await read_topic(infra.kafka_bootstrap, topic) if match(m)]:
            return found
        await asyncio.sleep(0.5)
    return []


def _handlers(repo: NotificationRepository, broker: KafkaBroker, renderer: MessageRenderer,
              channel: SpyChannel, window: timedelta = timedelta(0)) -> NotifierHandlers:
    handlers: NotifierHandlers
    service = DeliveryService({"email": channel, "webhook": channel}, repo, renderer,
                              RetryPolicy(base_delay_s=0.01),
                              on_dead_letter=lambda n: handlers.dead_letter_notice(n))
    held = HeldNotifications(Coalescer(window, FixedClock(datetime.now(UTC))), repo)
    handlers = NotifierHandlers(POLICY, sample_directory(), held, service, broker)
    return handlers


async def test_a_letter_that_cannot_render_is_failed_dead_lettered_and_announced(
        parts: tuple[NotificationRepository, KafkaBroker], infra: Any) -> None:
    repo, broker = parts
    dispatch_id = f"cv-{uuid.uuid4().hex[:8]}"
    handlers = _handlers(repo, broker, BrokenRenderer(), SpyChannel())
    await handlers.on_signals([signal("overdue", level=3, dispatch_id=dispatch_id)])
    rows = await repo.history(dispatch_id)
    assert rows and all((r["status"], r["step"], r["reported"]) == ("failed", "render", True)
                        for r in rows)
    assert all("XML compatible" in r["reason"] for r in rows)
    failed = await _read(infra, topics.NOTIFICATION_FAILED, lambda e: e["dispatch_id"] == dispatch_id)
    assert {e["keys"][0] for e in failed} == {r["_id"] for r in rows}
    assert all((e["kind"], e["level"], e["step"]) == ("overdue", 3, "render") for e in failed)
    letters = await _read(infra, topics.DEAD_LETTER,
                          lambda d: d["key"] == dispatch_id and d["service"] == "notifier")
    assert len(letters) == len(rows)


async def test_a_stale_claim_is_swept_into_a_reported_failure(
        parts: tuple[NotificationRepository, KafkaBroker], infra: Any) -> None:
    repo, broker = parts
    key = f"cv-{uuid.uuid4().hex[:8]}/QLTM/overdue-L3/deputy:PGD1/email"
    assert await repo.claim(key)  # ... and the notifier died
    handlers = _handlers(repo, broker, MessageRenderer("http://t"), SpyChannel())
    clock = FixedClock(datetime.now(UTC) + timedelta(minutes=11))
    sweeper = ClaimSweeper(repo, repo, handlers.dead_letter_notice, clock, timedelta(minutes=10))
    [notice] = [n for n in await sweeper.sweep() if n.keys == (key,)]
    assert notice.step == "claim"
    [row] = await repo.history(key.split("/")[0])
    assert (row["status"], row["step"], row["reported"]) == ("failed", "claim", True)
    assert "never attempted" in row["reason"]
    assert not [n for n in await sweeper.sweep() if n.keys == (key,)]
    [event] = await _read(infra, topics.NOTIFICATION_FAILED, lambda e: e["keys"] == [key])
    assert (event["step"], event["dispatch_id"], event["level"]) == ("claim", key.split("/")[0], 3)


async def test_a_restarted_notifier_delivers_what_the_old_one_held(
        parts: tuple[NotificationRepository, KafkaBroker]) -> None:
    repo, broker = parts
    ids = [f"cv-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    old = _handlers(repo, broker, MessageRenderer("http://t"), SpyChannel(), timedelta(minutes=30))
    await old.on_signals([signal("overdue", dispatch_id=d) for d in ids])
    held_keys = {p.key for d in ids[1:] for p in plan_notifications(
        signal("overdue", dispatch_id=d), POLICY, sample_directory())}
    assert {p.key for p in await repo.held()} == held_keys
    channel = SpyChannel()
    new = _handlers(repo, broker, MessageRenderer("http://t"), channel, timedelta(minutes=30))
    assert await new.held.load() == 2
    assert await new.flush() == 1
    assert set(channel.delivered[0].keys) == held_keys and await repo.held() == []
    assert {r["status"] for d in ids[1:] for r in await repo.history(d)} == {"delivered"}
