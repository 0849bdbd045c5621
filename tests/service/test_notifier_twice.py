"""The notifier's consumer through a broker: one test body in memory and on real Kafka + FerretDB.

A level-1 overdue signal, delivered twice (a redelivery): the unit's head is told once, through the
channel, and the notification log records the key as delivered. The repeat, folded into the
recipient's window, is found already sent when the window is flushed: still one message.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from faststream.kafka import TestKafkaBroker

from services.notifier.delivery import DeliveryService, RetryPolicy
from services.notifier.directory import YamlDirectory
from services.notifier.handlers import NotifierHandlers, register
from services.notifier.holding import HeldNotifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.repository import NotificationRepository
from shared import topics
from shared.events import AssignmentOverdue
from shared.kafka import make_broker
from shared.signal_kinds import SIGNAL_TYPES
from tests.service.twice import (
    IN_MEMORY,
    Infra,
    InMemoryNotificationStore,
    coalescer,
    eventually,
    fresh_database,
    real,
)
from tests.unit.notifier.fakes import SpyChannel


async def _overdue_told_once(infra: Infra, store: Any) -> None:
    settings = infra.settings("notifier")
    policy = load_policy(settings.config_path(settings.notifier_policy_file))
    directory = YamlDirectory.from_file(str(settings.config_path(settings.organisation_file)))
    broker = make_broker(settings, "notifier")
    clock = settings.clock()
    spy = SpyChannel()
    handlers: NotifierHandlers
    delivery = DeliveryService(
        {"email": spy, "log": spy, "webhook": spy}, store,
        MessageRenderer(settings.notifier_tracker_url, policy.letter),
        RetryPolicy(max_attempts=settings.notifier_retry_attempts,
                    base_delay_s=settings.notifier_retry_base_delay_s),
        on_dead_letter=lambda notice: handlers.dead_letter_notice(notice))
    held = HeldNotifications(coalescer(timedelta(minutes=policy.fold_window_minutes), clock), store)
    handlers = NotifierHandlers(policy, directory, held, delivery, broker, clock)
    register(broker, settings, handlers)
    await infra.prepare(settings)
    await infra.skip_backlog("vanthu-notifier", [s.topic for s in SIGNAL_TYPES])

    did = str(uuid.uuid4())
    overdue = AssignmentOverdue(
        dispatch_id=did, correlation_id=did, unit_code="QLTM", level=1,
        subject="V/v báo cáo tình hình thương mại quý I", notation="SCT-VP",
        due_at=datetime(2024, 2, 16, 10, tzinfo=UTC), detected_at=datetime(2024, 2, 16, 10, tzinfo=UTC))
    key = f"{did}/QLTM/overdue-L1/{directory.unit_head('QLTM').id}/email"

    def mine(delivered: list[Any]) -> list[Any]:
        """On real Kafka the group also reads signals other tests left on the topic: only ours."""
        return [d for d in delivered if any(k.startswith(f"{did}/") for k in d.keys)]

    async def held_of_ours() -> list[str]:
        return [item.key for item in await store.held() if item.key.startswith(f"{did}/")]

    async def repeat_held() -> bool:
        return await held_of_ours() == [key]

    async with TestKafkaBroker(broker, with_real=infra.real) as test_broker:
        for _ in range(2):  # a redelivery
            await test_broker.publish(overdue, topic=topics.ASSIGNMENT_OVERDUE, key=did.encode())
        await eventually(lambda: len(mine(spy.delivered)) == 1)
        await eventually(repeat_held)  # the repeat waits for the recipient's next message
        flushed = await handlers.flush(everything=True)
        assert flushed == 1 if not infra.real else flushed >= 1  # real: others' repeats too
    assert await held_of_ours() == []

    [sent] = mine(spy.delivered)
    assert sent.keys == (key,) and sent.channel == "email"
    assert sent.recipient.email == "qltm.mai@sct.example.gov.vn"  # Trưởng phòng QLTM
    assert "quá hạn" in (sent.message.subject + sent.message.text).lower()
    assert [(r["_id"], r["status"]) for r in await store.history(did)] == [(key, "delivered")]


async def test_notifier_in_memory() -> None:
    await _overdue_told_once(IN_MEMORY, InMemoryNotificationStore())


@pytest.mark.infra
async def test_notifier_on_real_kafka_and_ferretdb(infra: Any) -> None:
    on = real(infra)
    async with fresh_database(on) as db:
        repo = NotificationRepository(db)
        await repo.create_indexes()
        await _overdue_told_once(on, repo)
