"""The raw floor: the same work with no Vanthu logic, on the same Kafka and FerretDB.

``n`` small JSON messages are produced to topic A (acks=all, idempotent, like Vanthu); a stage
consumes A, bulk-inserts each batch into MongoDB and produces it to topic B; a second stage consumes
B and bulk-inserts again. Both stages run at once, in one asyncio process, and commit after each
batch. The rate is ``n`` divided by the time from the first send to the last insert.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient


async def _stage(bootstrap: str, source: str, sink: str | None, collection: Any, n: int,
                 producer: AIOKafkaProducer) -> None:
    consumer = AIOKafkaConsumer(source, bootstrap_servers=bootstrap, group_id=f"raw-{source}",
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_poll_records=200)
    await consumer.start()
    try:
        done = 0
        while done < n:
            batches = await consumer.getmany(timeout_ms=500, max_records=200)
            for records in batches.values():
                docs = [json.loads(r.value) for r in records if r.value]
                await collection.insert_many(docs, ordered=False)
                if sink is not None:
                    sends = [await producer.send(sink, r.value, key=r.key) for r in records]
                    await asyncio.gather(*sends)
                done += len(records)
            if batches:
                await consumer.commit()
    finally:
        await consumer.stop()


async def measure_raw_floor(bootstrap: str, mongodb_url: str, n: int) -> dict[str, Any]:
    """Push ``n`` messages through produce → consume → produce → consume with bulk inserts."""
    run = uuid.uuid4().hex[:8]
    topic_a, topic_b = f"raw.{run}.a", f"raw.{run}.b"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic_a, 6, 1), NewTopic(topic_b, 6, 1)])
    finally:
        await admin.close()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_url, socketTimeoutMS=60000)
    db = mongo[f"raw_{run}"]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        started = time.monotonic()
        stages = [asyncio.create_task(_stage(bootstrap, topic_a, topic_b, db["a"], n, producer)),
                  asyncio.create_task(_stage(bootstrap, topic_b, None, db["b"], n, producer))]
        sends = []
        for i in range(n):
            key = uuid.uuid4().hex
            value = json.dumps({"_id": key, "seq": i, "subject": f"raw {i}"}).encode()
            sends.append(await producer.send(topic_a, value, key=key.encode()))
        await asyncio.gather(*sends)
        await asyncio.wait_for(asyncio.gather(*stages), 600)
        elapsed = time.monotonic() - started
        stored = await db["b"].estimated_document_count()
    finally:
        await producer.stop()
        await mongo.close()
    return {"messages": n, "seconds": round(elapsed, 1), "rate_per_s": round(n / elapsed, 1),
            "stored": stored}
