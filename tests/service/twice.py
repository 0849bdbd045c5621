"""One service test body, two infrastructures (the pyeventsourcing pattern).

A body takes a :class:`Infra`: :data:`IN_MEMORY` runs it through faststream's ``TestKafkaBroker``
with in-memory repositories; :func:`real` runs the same body with ``TestKafkaBroker(broker,
with_real=True)`` on the session's Kafka and a fresh FerretDB database per test.

The service joins its own consumer group (as its ``register`` names it); collectors read what it
publishes in groups of their own, and assertions concern only the test's fresh ``dispatch_id``, so
other tests' messages on the shared topics do not matter. Settings classes and the notifier's rate
limiter are imported here only: a rename is one line.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase

from services.ingest.settings import IngestSettings
from services.notifier.coalescing import Coalescer
from services.notifier.delivery_log import InMemoryDeliveryLog
from services.notifier.escalation import PlannedNotification
from services.notifier.failures import describe_key
from services.notifier.holding import InMemoryHeldStore
from services.notifier.settings import NotifierSettings
from services.tracker.settings import TrackerSettings
from services.tracker.writes import NewDocument, WriteBatch
from shared.clock import Clock
from shared.kafka import ensure_topics
from shared.mongo import database, make_mongo_client
from shared.settings import ServiceSettings
from tests.service.fakes import InMemoryIngestRepository
from tests.service.tracker_fakes import InMemoryTrackerRepository

Doc = dict[str, Any]


@dataclass(frozen=True)
class Infra:
    """Where a body runs: Kafka's address, and MongoDB's (None: in memory, no servers)."""

    kafka_bootstrap: str = "127.0.0.1:9"  # never dialled by the in-memory TestKafkaBroker
    mongodb_url: str | None = None

    @property
    def real(self) -> bool:
        """True on real Kafka and FerretDB."""
        return self.mongodb_url is not None

    def settings(self, service: str, **values: Any) -> Any:
        """The settings of ``service`` ("ingest", "tracker", "notifier") on this infrastructure."""
        return SETTINGS[service](kafka_bootstrap_servers=self.kafka_bootstrap, **values)

    async def prepare(self, settings: ServiceSettings) -> None:
        """Create the topics on real Kafka (nothing to do in memory)."""
        if self.real:
            await ensure_topics(settings)

    async def skip_backlog(self, group_id: str, topic_names: Sequence[str]) -> None:
        """On real Kafka, commit ``group_id`` at the end of ``topic_names``, as a service that
        has been running would be: what other tests left there is not this test's input (a
        notifier would otherwise fold this test's message into the earlier ones' recipients)."""
        if not self.real:
            return
        admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka_bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(list(topic_names))
        finally:
            await admin.close()
        parts = [TopicPartition(t["topic"], p["partition"]) for t in described
                 for p in t["partitions"]]
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka_bootstrap, group_id=group_id,
                                    enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign(parts)
            await consumer.seek_to_end(*parts)
            await consumer.commit({tp: await consumer.position(tp) for tp in parts})
        finally:
            await consumer.stop()


IN_MEMORY = Infra()
SETTINGS = {"ingest": IngestSettings, "tracker": TrackerSettings, "notifier": NotifierSettings}


def real(infra: Any) -> Infra:
    """The session's real servers (the ``infra`` fixture of ``tests/conftest.py``)."""
    return Infra(infra.kafka_bootstrap, infra.mongodb_url)


@asynccontextmanager
async def fresh_database(infra: Infra) -> AsyncIterator[AsyncDatabase[Doc]]:
    """A database of its own on the real server, opened as the services open theirs; dropped after."""
    assert infra.mongodb_url is not None
    settings = ServiceSettings(mongodb_url=infra.mongodb_url,
                               mongodb_database=f"test_{uuid.uuid4().hex[:12]}")
    client = make_mongo_client(settings)
    try:
        yield database(client, settings)
    finally:
        await client.drop_database(settings.mongodb_database)
        await client.close()


def collect(broker: KafkaBroker, topic: str, model: Any, into: list[Any]) -> None:
    """Append what is published on ``topic`` to ``into``, in a consumer group of its own."""
    @broker.subscriber(topic, group_id=f"test-{uuid.uuid4().hex[:8]}", auto_offset_reset="earliest")
    async def _collect(body: Doc) -> None:
        into.append(model.model_validate(body))


async def eventually(check: Callable[[], bool | Awaitable[bool]], seconds: float = 30.0) -> None:
    """Wait until ``check`` holds (at once in memory; real Kafka needs a group join first)."""
    for _ in range(int(seconds / 0.1)):
        answer = check()
        if await answer if inspect.isawaitable(answer) else answer:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


def coalescer(window: timedelta, clock: Clock) -> Coalescer:
    """The notifier's per-recipient rate limiter, as its ``main.py`` builds it."""
    return Coalescer(window, clock)


class InMemoryTrackerStore(InMemoryTrackerRepository):
    """The tracker's in-memory repository, also applying the batches' dispatch and assignment
    writes (creations once per id, field updates), as ``TrackerRepository.apply`` does."""

    async def apply(self, batch: WriteBatch) -> int:
        for ops, docs in ((batch.dispatches, self.dispatches), (batch.assignments, self.assignments)):
            for write in ops:
                if isinstance(write, NewDocument):
                    docs.setdefault(write.id, {"_id": write.id, **write.fields})
                else:
                    docs.setdefault(write.id, {"_id": write.id}).update(write.fields)
        return await super().apply(batch)


@dataclass
class InMemoryNotificationStore(InMemoryDeliveryLog):
    """The notifier's delivery log and held store in memory, with ``history`` as the repository's."""

    held_store: InMemoryHeldStore = field(default_factory=InMemoryHeldStore)

    async def hold(self, item: PlannedNotification) -> None:
        await self.held_store.hold(item)

    async def held(self) -> list[PlannedNotification]:
        return await self.held_store.held()

    async def release(self, keys: Sequence[str]) -> None:
        await self.held_store.release(keys)

    async def history(self, dispatch_id: str | None, limit: int = 500) -> list[Doc]:
        """``{_id, dispatch_id, status}`` of each claimed key, like the repository's records."""
        return [{"_id": k, "dispatch_id": describe_key(k).dispatch_id, "status": self.status(k)}
                for k in sorted(self.claimed)
                if dispatch_id is None or describe_key(k).dispatch_id == dispatch_id][:limit]


class InMemoryIngestStore(InMemoryIngestRepository):
    """Ingest's in-memory repository, reading stored files back as ``IngestRepository`` does."""

    async def read_blob(self, blob_id: str) -> bytes | None:
        return self.blobs.get(blob_id)
