"""The router's handler, driven through a broker: the same test body in memory and on real Kafka."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.router.handlers import register
from shared import topics
from shared.clock import SystemClock
from shared.events import DispatchAssigned, DispatchReceived
from shared.kafka import ensure_topics
from shared.settings import RouterSettings


async def _eventually(predicate: Any, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def _route_one_dispatch_and_a_poison_message(bootstrap: str, with_real: bool) -> None:
    settings = RouterSettings(kafka_bootstrap_servers=bootstrap, router_default_unit="VP")
    broker = KafkaBroker(bootstrap)
    register(broker, settings, SystemClock())
    assigned: list[DispatchAssigned] = []
    dead: list[dict[str, Any]] = []
    group = f"test-{uuid.uuid4().hex[:8]}"

    @broker.subscriber(topics.DISPATCH_ASSIGNED, group_id=group, auto_offset_reset="earliest")
    async def collect(event: DispatchAssigned) -> None:
        assigned.append(event)

    @broker.subscriber(topics.DEAD_LETTER, group_id=group, auto_offset_reset="earliest")
    async def collect_dead(letter: dict[str, Any]) -> None:
        dead.append(letter)

    if with_real:
        await ensure_topics(settings)
    dispatch = DispatchReceived(dispatch_id=str(uuid.uuid4()), correlation_id="corr-1",
                                source_system="demo", subject="V/v chấn chỉnh công tác phối hợp")
    poison_key = str(uuid.uuid4())
    async with TestKafkaBroker(broker, with_real=with_real) as test_broker:
        await test_broker.publish(dispatch, topic=topics.DISPATCH_RECEIVED,
                                  key=dispatch.dispatch_id.encode())
        await test_broker.publish(b'{"subject": "no id"}', topic=topics.DISPATCH_RECEIVED,
                                  key=poison_key.encode())
        await _eventually(lambda: any(a.dispatch_id == dispatch.dispatch_id for a in assigned))
        await _eventually(lambda: any(d.get("key") == poison_key for d in dead))

    [decision] = [a for a in assigned if a.dispatch_id == dispatch.dispatch_id]
    assert decision.assignments[0].unit_code == "VP"
    assert decision.correlation_id == "corr-1" and decision.rule_id
    [letter] = [d for d in dead if d.get("key") == poison_key]
    assert letter["service"] == "router" and "dispatch_id" in letter["reason"]
    assert letter["payload"] == '{"subject": "no id"}'


async def test_router_in_memory() -> None:
    await _route_one_dispatch_and_a_poison_message("127.0.0.1:9", with_real=False)


@pytest.mark.infra
async def test_router_on_real_kafka(infra: Any) -> None:
    await _route_one_dispatch_and_a_poison_message(infra.kafka_bootstrap, with_real=True)
