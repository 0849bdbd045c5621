"""shared.kafka.start_broker against a real Kafka: a service's members of one group join together.

faststream's own start joined them one by one, one rebalance each; the tracker's ten members then
took 36 s to be ready. Here every member holds its topic's partitions once started, the group went
through fewer rebalances than it has members, and each member consumes its topic.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker

from shared.events import DeadLetter
from shared.kafka import start_broker, subscribe_events

pytestmark = pytest.mark.infra

MEMBERS = 5


async def test_members_of_one_group_start_together_and_each_consumes_its_topic(infra) -> None:
    run = uuid.uuid4().hex[:8]
    names = [f"test.start-broker.{run}.{i}" for i in range(MEMBERS)]
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, num_partitions=2, replication_factor=1)
                                   for n in names])
    finally:
        await admin.close()
    broker = KafkaBroker(infra.kafka_bootstrap)
    seen: dict[str, list[str]] = {name: [] for name in names}

    def handler(name: str):  # type: ignore[no-untyped-def]
        async def handle(events: list[DeadLetter]) -> None:
            seen[name].extend(event.reason for event in events)
        return handle

    subscribers = {name: subscribe_events(broker, service="test", topic=name, model=DeadLetter,
                                          group_id=f"test-start-{run}", handle=handler(name))
                   for name in names}
    await start_broker(broker)
    try:
        for name, subscriber in subscribers.items():
            assert {tp.topic for tp in subscriber.consumer.assignment()} == {name}
            assert len(subscriber.consumer.assignment()) == 2
        generations = {s.consumer._coordinator.generation for s in subscribers.values()}
        assert len(generations) == 1 and max(generations) < MEMBERS, generations
        for name in names:
            await broker.publish(DeadLetter(service="test", topic=name, reason=f"to {name}",
                                            key="k", payload="{}"), name, key=b"k")
        for _ in range(200):
            if all(seen.values()):
                break
            await asyncio.sleep(0.05)
        assert seen == {name: [f"to {name}"] for name in names}
    finally:
        await broker.stop()
