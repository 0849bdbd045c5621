"""Reading a whole topic back, to count what really reached Kafka."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer


async def read_topic(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """Every message of ``topic`` from offset 0 to the current end, decoded from JSON."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                group_id=None, client_id=f"reader-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    try:
        consumer.subscribe([topic])  # without a group: every partition is assigned to us
        for _ in range(100):
            if consumer.assignment():
                break
            await asyncio.sleep(0.05)
        partitions = sorted(consumer.assignment())
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        out: list[dict[str, Any]] = []
        async def behind() -> bool:
            return any([await consumer.position(tp) < end[tp] for tp in partitions])

        while await behind():
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                out.extend(json.loads(r.value) for r in records if r.value)
        return out
    finally:
        await consumer.stop()
