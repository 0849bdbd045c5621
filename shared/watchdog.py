"""Consumer watchdog: makes a stuck Kafka consumer visible on ``GET /ready``.

aiokafka has reports of consumers that silently stop fetching while the process stays up. The
watchdog notes, per consumer (group and topic), when a batch last arrived and when one was last
handled, and asks Kafka how many messages wait for this member (the end offset minus the group's
committed offset, over the partitions assigned to it; ``shared.metrics`` shows it per partition).
:func:`assess` decides, purely: a consumer is stuck when messages wait and none was handled for
``stall_after_s`` seconds (``VANTHU_WATCHDOG_STALL_S``, default 60). One watchdog per process:
:data:`WATCHDOG`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

STALL_ENV = "VANTHU_WATCHDOG_STALL_S"
DEFAULT_STALL_AFTER_S = 60.0
Clock = Callable[[], float]
Assignment = Callable[[], set[TopicPartition] | None]


@dataclass(frozen=True)
class Verdict:
    """Whether one consumer is stuck, and why (for the /ready body)."""

    stuck: bool
    reason: str


def assess(lag: int | None, idle_s: float, stall_after_s: float) -> Verdict:
    """Stuck = messages wait (``lag > 0``) and no batch was handled for ``stall_after_s`` seconds.

    An unknown lag (Kafka did not answer) is not a stall: /ready already reports Kafka itself.
    """
    if lag is None:
        return Verdict(False, "lag unknown")
    if lag <= 0:
        return Verdict(False, "caught up")
    if idle_s < stall_after_s:
        return Verdict(False, "making progress")
    return Verdict(True, f"{lag} messages waiting, nothing handled for {idle_s:.0f}s")


def stall_after_s() -> float:
    """The configured stall threshold in seconds."""
    return float(os.environ.get(STALL_ENV, DEFAULT_STALL_AFTER_S))


@dataclass
class Progress:
    """What one consumer did last (monotonic seconds)."""

    registered_at: float
    assignment: Assignment
    last_fetch_at: float | None = None
    last_done_at: float | None = None

    def idle_s(self, now: float) -> float:
        """Seconds since a batch was last handled (or since the consumer was registered)."""
        return now - (self.last_done_at or self.registered_at)


@dataclass
class ConsumerWatchdog:
    """Progress of this process's consumers and their lag."""

    clock: Clock = time.monotonic
    consumers: dict[tuple[str, str], Progress] = field(default_factory=dict)
    client_options: dict[str, Any] = field(default_factory=dict)
    """Extra aiokafka client arguments: the service's Kafka security (``shared.kafka``)."""
    _admin: AIOKafkaAdminClient | None = None
    _offsets: AIOKafkaConsumer | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def register(self, group_id: str, topic: str, assignment: Assignment = lambda: None) -> None:
        """Watch the consumer of ``topic`` in ``group_id``; ``assignment`` lists its partitions."""
        self.consumers[(group_id, topic)] = Progress(self.clock(), assignment)

    def fetched(self, group_id: str, topic: str) -> None:
        """A batch arrived."""
        if (progress := self.consumers.get((group_id, topic))) is not None:
            progress.last_fetch_at = self.clock()

    def handled(self, group_id: str, topic: str) -> None:
        """A batch was handled (its offsets are committed next)."""
        if (progress := self.consumers.get((group_id, topic))) is not None:
            progress.last_done_at = self.clock()

    async def lag(self, bootstrap: str, group_id: str, topic: str) -> int | None:
        """Messages waiting for this member on ``topic``; None if Kafka does not answer."""
        try:
            return await asyncio.wait_for(self._lag(bootstrap, group_id, topic), 3.0)
        except Exception:
            await self.close()
            return None

    async def _clients(self, bootstrap: str) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        async with self._lock:
            if self._admin is None or self._offsets is None:
                options = {**self.client_options, "bootstrap_servers": bootstrap}
                admin = AIOKafkaAdminClient(**options)
                offsets = AIOKafkaConsumer(**options, group_id=None,
                                           client_id=f"watchdog-{uuid.uuid4().hex[:6]}")
                self._admin, self._offsets = admin, offsets
                await admin.start()
                await offsets.start()
            return self._admin, self._offsets

    async def partition_lags(self, bootstrap: str) -> dict[tuple[str, str, int], int] | None:
        """Messages waiting per (group, topic, partition) held by this process's consumers (two
        requests per group); None if Kafka does not answer."""
        groups: dict[str, list[str]] = {}
        for group_id, topic in self.consumers:
            groups.setdefault(group_id, []).append(topic)
        try:
            found = await asyncio.wait_for(asyncio.gather(
                *(self._group_lags(bootstrap, g, t) for g, t in groups.items())), 3.0)
        except Exception:
            await self.close()
            return None
        return {(group_id, tp.topic, tp.partition): waiting
                for group_id, lags in zip(groups, found, strict=True)
                for tp, waiting in lags.items()}

    async def _lag(self, bootstrap: str, group_id: str, topic: str) -> int:
        return sum((await self._group_lags(bootstrap, group_id, [topic])).values())

    async def _group_lags(self, bootstrap: str, group_id: str, topics: list[str]
                          ) -> dict[TopicPartition, int]:
        """End offset minus the group's committed offset (none: from 0), per partition held."""
        admin, offsets = await self._clients(bootstrap)
        partitions: list[TopicPartition] = []
        for topic in topics:
            mine = self.consumers[(group_id, topic)].assignment()
            if mine is None:
                parts = offsets.partitions_for_topic(topic) or set()
                mine = {TopicPartition(topic, p) for p in parts}
            partitions += sorted(tp for tp in mine if tp.topic == topic)
        if not partitions:
            return {}
        ends = await offsets.end_offsets(partitions)
        committed = await admin.list_consumer_group_offsets(group_id, partitions=partitions)
        return {tp: max(0, ends[tp] - max(0, committed[tp].offset if tp in committed else 0))
                for tp in partitions}

    async def report(self, bootstrap: str) -> tuple[bool, dict[str, Any]]:
        """(healthy, per-consumer lag, idle seconds, seconds since the last fetch, verdict)."""
        threshold, now, ok = stall_after_s(), self.clock(), True
        body: dict[str, Any] = {}
        watched = list(self.consumers.items())
        lags = await asyncio.gather(*(self.lag(bootstrap, g, t) for (g, t), _ in watched))
        for ((group_id, topic), progress), lag in zip(watched, lags, strict=True):
            verdict = assess(lag, progress.idle_s(now), threshold)
            ok = ok and not verdict.stuck
            since_fetch = None if progress.last_fetch_at is None else now - progress.last_fetch_at
            body[f"{group_id}:{topic}"] = {
                "lag": lag, "idle_s": round(progress.idle_s(now), 1),
                "since_fetch_s": None if since_fetch is None else round(since_fetch, 1),
                "stuck": verdict.stuck, "reason": verdict.reason}
        return ok, body

    async def close(self) -> None:
        """Close the Kafka clients (they are reopened on the next report)."""
        admin, offsets, self._admin, self._offsets = self._admin, self._offsets, None, None
        if admin is not None:
            with contextlib.suppress(Exception):  # best effort on a broken connection
                await admin.close()
        if offsets is not None:
            with contextlib.suppress(Exception):
                await offsets.stop()


WATCHDOG = ConsumerWatchdog()
"""The process's watchdog: ``subscribe_events`` registers consumers, ``/ready`` reports them."""
