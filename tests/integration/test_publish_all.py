"""shared.publishing.publish_all against a real Kafka: every event arrives, keyed, in order per key."""

from __future__ import annotations

import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker

from shared.events import DeadLetter
from shared.publishing import Outgoing, publish_all
from tests.kafka_reader import read_topic

pytestmark = pytest.mark.infra


async def test_every_event_is_acknowledged_and_readable_in_order(infra) -> None:
    topic = f"test.publish-all.{uuid.uuid4().hex[:8]}"
    letters = [DeadLetter(service="test", topic="t", reason=f"n={i}", key="same-dispatch",
                          payload="{}") for i in range(50)]
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        await admin.close()
    broker = KafkaBroker(infra.kafka_bootstrap)
    await broker.start()
    try:
        sent = await publish_all(broker, [Outgoing(letter, topic, "same-dispatch") for letter in letters])
    finally:
        await broker.stop()
    assert sent == 50
    read = await read_topic(infra.kafka_bootstrap, topic)
    assert [event["reason"] for event in read] == [f"n={i}" for i in range(50)]

