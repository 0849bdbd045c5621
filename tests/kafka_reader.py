"""Reading a whole topic back, to count what really reached Kafka."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer

METADATA_TIMEOUT_S = 60.0


async def read_topic(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """Every event of ``topic`` from offset 0 to the current end, decoded from JSON.

    Waits for the topic's partitions (a broker that has just restarted, or a loaded machine, may take
    seconds to assign them); none within a minute raises instead of reading as empty, so a count
    made from the answer never passes or fails on an empty read.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                group_id=None, client_id=f"reader-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    try:
        consumer.subscribe([topic])  # without a group: every partition is assigned to us
        loop = asyncio.get_running_loop()
        deadline = loop.time() + METADATA_TIMEOUT_S
        while not consumer.assignment():
            if loop.time() > deadline:
                raise TimeoutError(f"Kafka assigned no partition of {topic}")
            await asyncio.sleep(0.1)
        partitions = sorted(consumer.assignment())
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        # count what getmany returned, not consumer.position(): the position is the fetcher's,
        # which a prefetch moves to the end before a single record was handed to us
        done = await consumer.beginning_offsets(partitions)
        out: list[dict[str, Any]] = []
        while any(done[tp] < end[tp] for tp in partitions):
            batch = await consumer.getmany(timeout_ms=1000)
            for tp, records in batch.items():
                out.extend(decoded for r in records if (decoded := _event(r.value)) is not None)
                if records:
                    done[tp] = records[-1].offset + 1
        return out
    finally:
        await consumer.stop()


def _event(value: bytes | None) -> dict[str, Any] | None:
    """A message decoded from JSON; None for the poison messages some tests put on the shared topics
    on purpose (``b"{not json"``), which are no one's event."""
    if not value:
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None
