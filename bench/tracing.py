"""Per-dispatch latency, ingest → assigned → tracked, read from Kafka instead of polling MongoDB.

For every dispatch accepted during a latency phase, ``t0`` is the wall-clock instant its HTTP
request was sent (one instant for all documents of a batch request). Then:

- **assigned**: a consumer outside any group reads ``dispatch.assigned`` from its end offsets at the
  start of the phase; each record's key is its dispatch id and its timestamp (CreateTime) is the
  router's clock when it handed the decision to its producer. ``assigned = timestamp − t0``.
- **tracked**: the tracker commits a partition's offset only after the batch holding the record
  has been written to MongoDB (``AckPolicy.NACK_ON_ERROR``). A poller asks Kafka for the tracker
  group's committed offsets every ``interval_s`` (10 ms); the dispatch counts as tracked at the
  first reply in which its partition's committed offset is past its record's offset. That instant
  is late by at most one interval plus one OffsetFetch round trip (a few ms), never early.

No query goes to MongoDB, so the probe takes no FerretDB CPU. The pure part
(:func:`tracked_at`) is unit-tested.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from bench.load import Sent
from bench.steps import percentiles_ms
from shared import topics

TRACKER_GROUP = "vanthu-tracker"


@dataclass
class Commits:
    """The committed offsets of one partition, as observed: ``at[i]`` is when ``offsets[i]`` was
    first seen (offsets never decrease)."""

    at: list[float] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def observe(self, at: float, offset: int) -> None:
        """Note the committed ``offset`` seen at ``at`` (kept only when it moved forward)."""
        if not self.offsets or offset > self.offsets[-1]:
            self.at.append(at)
            self.offsets.append(offset)


def tracked_at(commits: Commits, offset: int) -> float | None:
    """When the record at ``offset`` was first seen committed (a committed offset is the next one
    to read, so the record is done once it is ``> offset``), or None if not yet."""
    i = bisect.bisect_right(commits.offsets, offset)
    return commits.at[i] if i < len(commits.at) else None


async def assigned_partitions(admin: AIOKafkaAdminClient) -> list[TopicPartition]:
    """The partitions of ``dispatch.assigned`` (the topic the tracker's commits are read on)."""
    described = await admin.describe_topics([topics.DISPATCH_ASSIGNED])
    partitions = [TopicPartition(topics.DISPATCH_ASSIGNED, p["partition"])
                  for p in described[0]["partitions"]]
    if not partitions:
        raise RuntimeError(f"{topics.DISPATCH_ASSIGNED} has no partitions")
    return partitions


class TrackedCount:
    """How many dispatches the tracker has stored: the sum of its group's committed offsets on
    ``dispatch.assigned`` (one record per dispatch; committed only once written to MongoDB).

    One OffsetFetch request a call and no MongoDB query, so polling it costs FerretDB nothing (a
    count on FerretDB v1 reads every document, and grew its CPU with the store).
    """

    def __init__(self, bootstrap: str) -> None:
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        self.partitions: list[TopicPartition] = []
        self.coordinator: int | None = None

    async def start(self) -> None:
        """Connect and learn the partitions and the group's coordinator."""
        await self.admin.start()
        self.partitions = await assigned_partitions(self.admin)
        self.coordinator = await self.admin.find_coordinator(TRACKER_GROUP)

    async def __call__(self) -> int:
        offsets = await self.admin.list_consumer_group_offsets(
            TRACKER_GROUP, self.coordinator, self.partitions)
        return sum(max(meta.offset, 0) for meta in offsets.values())

    async def close(self) -> None:
        """Disconnect."""
        await self.admin.close()


@dataclass
class Tracer:
    """Follows the dispatches of one phase from their send time to assigned and tracked."""

    bootstrap: str
    interval_s: float = 0.01
    sent: dict[str, float] = field(default_factory=dict)
    answered: list[float] = field(default_factory=list)
    records: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    commits: dict[int, Commits] = field(default_factory=dict)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def on_sent(self, sent: Sent) -> None:
        """Hook for the load generators: remember each accepted dispatch's send time."""
        if sent.status == 202 and sent.dispatch_id:
            self.sent[sent.dispatch_id] = sent.at
            if sent.answered is not None:
                self.answered.append(sent.answered - sent.at)

    async def start(self) -> None:
        """Start reading ``dispatch.assigned`` from its end, and polling the tracker's commits."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            partitions = await assigned_partitions(admin)
        except RuntimeError:
            await admin.close()
            raise
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                                    max_poll_records=2000)
        await consumer.start()
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:
            await consumer.position(tp)
        self._tasks = [asyncio.create_task(self._consume(consumer)),
                       asyncio.create_task(self._poll(admin, partitions))]

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        try:
            while not self._stop.is_set():
                batches = await consumer.getmany(timeout_ms=100)
                for records in batches.values():
                    for r in records:
                        if r.key is not None:
                            self.records.setdefault(r.key.decode(),
                                                    (r.partition, r.offset, r.timestamp / 1000))
        finally:
            await consumer.stop()

    async def _poll(self, admin: AIOKafkaAdminClient, partitions: list[TopicPartition]) -> None:
        try:
            coordinator = await admin.find_coordinator(TRACKER_GROUP)
            while not self._stop.is_set():
                offsets = await admin.list_consumer_group_offsets(
                    TRACKER_GROUP, coordinator, partitions)
                now = time.time()
                for tp, meta in offsets.items():
                    if meta.offset >= 0:
                        self.commits.setdefault(tp.partition, Commits()).observe(now, meta.offset)
                await asyncio.sleep(self.interval_s)
        finally:
            await admin.close()

    def pending(self) -> int:
        """Dispatches sent but not yet seen tracked."""
        return sum(self._tracked(d) is None for d in self.sent)

    def _tracked(self, dispatch_id: str) -> float | None:
        record = self.records.get(dispatch_id)
        commits = self.commits.get(record[0]) if record else None
        return tracked_at(commits, record[1]) if record and commits else None

    async def finish(self, timeout_s: float = 60.0) -> None:
        """Wait until every sent dispatch is tracked (or ``timeout_s``), then stop."""
        for _ in range(int(timeout_s / 0.2)):
            if not self.pending():
                break
            await asyncio.sleep(0.2)
        self._stop.set()
        await asyncio.gather(*self._tasks)

    def summary(self) -> dict[str, Any]:
        """Percentiles (ms) of accepted (HTTP answer), assigned and tracked, and the lost."""
        assigned, tracked = [], []
        for dispatch_id, t0 in self.sent.items():
            record = self.records.get(dispatch_id)
            if record is not None:
                assigned.append(record[2] - t0)
            done = self._tracked(dispatch_id)
            if done is not None:
                tracked.append(done - t0)
        return {"samples": len(tracked), "never_tracked": len(self.sent) - len(tracked),
                "method": "Kafka: dispatch.assigned timestamps; tracker group's committed offsets "
                          f"polled every {self.interval_s * 1000:.0f} ms",
                "tracked_ms": percentiles_ms(tracked), "assigned_ms": percentiles_ms(assigned),
                "accepted_ms": percentiles_ms(self.answered)}
