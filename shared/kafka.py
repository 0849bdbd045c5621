"""Kafka wiring shared by the services: the broker, topic creation and the event consumer.

Producers wait for ``acks=all`` with idempotence on. Consumers commit only after the handler has run
(faststream's ``NACK_ON_ERROR``: a failure rewinds the partition and the batch is delivered again).
A message that does not validate, or that keeps failing, goes to the dead-letter topic with the
reason, and its offset is committed, so one bad message never blocks a partition. Every consumer
counts its events processed, retried and dead-lettered, and times its handler (``shared.metrics``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import structlog
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.partitioner import murmur2
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import BaseModel, ValidationError
from pymongo.errors import ConnectionFailure

from shared import metrics, topics
from shared.events import DeadLetter
from shared.kafka_security import broker_security, client_options
from shared.settings import ServiceSettings
from shared.watchdog import WATCHDOG

E = TypeVar("E", bound=BaseModel)
EventHandler = Callable[[list[E]], Awaitable[None]]

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionFailure, KafkaError, TimeoutError, ConnectionError,
)
"""Failures of infrastructure that go away by themselves: retried for as long as they last."""

log = structlog.get_logger(__name__)

BATCH_WAIT_MS = 40
"""How long a batch consumer waits for records before it looks again. faststream sleeps as long
again after a poll that found nothing, so a record that lands then waits up to this much more: its
default of 200 ms added 0–400 ms to every hop (about 150 ms per dispatch at low rates, measured
with bench/tracing.py). At 40 ms an idle consumer polls about 12 times a second."""

HEARTBEAT_INTERVAL_MS = 500
"""How often each consumer tells its group it is alive (aiokafka's default is 3,000 ms). A service
subscribes one member per topic to its group, and the members join one after another; each join is a
rebalance that the members already in learn of at their next heartbeat. At 3 s the tracker's ten
members took 36 s to be ready, at every start and every restart."""


def make_broker(settings: ServiceSettings, service: str) -> KafkaBroker:
    """Return a broker whose producer waits for every in-sync replica (acks=all, idempotent),
    authenticated as the settings say (``shared.kafka_security``), as are the watchdog's clients."""
    WATCHDOG.client_options = client_options(settings)
    return KafkaBroker(
        [server.strip() for server in settings.kafka_bootstrap_servers.split(",")],
        security=broker_security(settings),
        acks="all",
        enable_idempotence=True,
        client_id=f"vanthu-{service}",
        logger=structlog.get_logger("faststream"),
        log_level=logging.DEBUG,  # per-message lines lack dispatch_id; ours carry it
        graceful_timeout=15.0,
    )


async def start_broker(broker: KafkaBroker) -> None:
    """Connect ``broker`` and start all its subscribers at once, then its publishers.

    faststream's ``broker.start()`` starts subscribers one after another, and aiokafka's consumer
    start waits for the member's first assignment, so each member's join was a rebalance of its own
    (the tracker's ten members took 14 s even at 500 ms heartbeats). Started together they join in
    one or two rounds. Otherwise the same steps as ``KafkaBroker.start`` (faststream 0.7).
    """
    await broker.connect()
    await asyncio.gather(*(subscriber.start() for subscriber in broker.subscribers))
    for publisher in broker.publishers:
        await publisher.start()
    broker.running = True


async def ensure_topics(settings: ServiceSettings, names: Sequence[str] = topics.ALL_TOPICS) -> None:
    """Create the topics that do not exist yet, with the configured partition count, replication
    factor and ``min.insync.replicas`` (an existing topic is left as it is)."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        configs = {"min.insync.replicas": str(settings.kafka_min_insync_replicas)}
        missing = [NewTopic(n, settings.kafka_topic_partitions, settings.kafka_replication_factor,
                            topic_configs=configs) for n in names if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


def _records(message: Any) -> list[ConsumerRecord[bytes, bytes]]:
    raw = message.raw_message
    return list(raw) if isinstance(raw, list | tuple) else [raw]


def dead_letter(service: str, topic: str, reason: str, key: str | None, payload: str, *,
                partition: int | None = None, offset: int | None = None) -> DeadLetter:
    """The dead letter of a message ``service`` could not apply: where it came from (``topic``, and
    for a consumed record its ``partition`` and ``offset``), its ``key`` (a dispatch id), the
    ``reason`` and the original ``payload``. Every service builds its dead letters here."""
    return DeadLetter(service=service, topic=topic, partition=partition, offset=offset, key=key,
                      reason=reason, payload=payload)


async def publish_dead_letter(broker: KafkaBroker, letter: DeadLetter,
                              raw_key: bytes | None = None) -> None:
    """Publish ``letter`` on the dead-letter topic, keyed by its key (by ``raw_key`` when given:
    the consumed record's own key bytes), so it lands beside the dispatch's other messages."""
    key = raw_key if raw_key is not None else (
        letter.key.encode() if letter.key is not None else None)
    await broker.publish(letter, topic=topics.DEAD_LETTER, key=key)
    metrics.EVENTS_DEAD_LETTERED.labels(letter.service, letter.topic).inc()


class DeadLetters:
    """Publishes consumed records that cannot be applied to the dead-letter topic, with the reason."""

    def __init__(self, broker: KafkaBroker, service: str) -> None:
        self._broker = broker
        self._service = service

    async def send(self, record: ConsumerRecord[bytes, bytes], reason: str) -> None:
        """Dead-letter one consumed record."""
        key = record.key.decode(errors="replace") if record.key else None
        letter = dead_letter(self._service, record.topic, reason[:2000], key,
                             (record.value or b"").decode(errors="replace"),
                             partition=record.partition, offset=record.offset)
        await publish_dead_letter(self._broker, letter, record.key)
        log.warning("dead-lettered", topic=record.topic, offset=record.offset, key=key,
                    reason=reason[:200])


def subscribe_events(
    broker: KafkaBroker,
    *,
    service: str,
    topic: str,
    model: type[E],
    group_id: str,
    handle: EventHandler[E],
    max_attempts: int = 5,
    max_records: int = 200,
) -> Any:
    """Register a batch consumer that validates each record into ``model`` and calls ``handle``;
    return the subscriber (its ``consumer`` tells which partitions this member holds).

    ``handle`` must be idempotent: after a crash the same events may come again.
    """
    dead_letters = DeadLetters(broker, service)
    failures: dict[tuple[int, int], int] = {}
    processed = metrics.EVENTS_PROCESSED.labels(group_id, topic)  # the series exist from 0 on
    retried = metrics.EVENTS_RETRIED.labels(group_id, topic)
    latency = metrics.HANDLER_SECONDS.labels(group_id, topic)

    async def apply_one_by_one(pairs: list[tuple[ConsumerRecord[bytes, bytes], E]]) -> None:
        for record, event in pairs:
            try:
                with latency.time():
                    await handle([event])
                processed.inc()
            except TRANSIENT_ERRORS:
                raise
            except Exception as exc:
                await dead_letters.send(record, f"handler failed: {exc!r}")

    subscriber = broker.subscriber(
        topic, group_id=group_id, batch=True, max_records=max_records,
        batch_timeout_ms=BATCH_WAIT_MS, heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
        auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR,
        title=f"{service}:{topic}",
    )

    def assignment() -> set[TopicPartition] | None:
        consumer = getattr(subscriber, "consumer", None)
        return set(consumer.assignment()) if consumer is not None else None

    WATCHDOG.register(group_id, topic, assignment)

    async def consume(message: KafkaMessage) -> None:
        WATCHDOG.fetched(group_id, topic)
        await handle_batch(message)
        WATCHDOG.handled(group_id, topic)

    async def handle_batch(message: KafkaMessage) -> None:
        pairs: list[tuple[ConsumerRecord[bytes, bytes], E]] = []
        for record in _records(message):
            try:
                pairs.append((record, model.model_validate_json(record.value or b"")))
            except ValidationError as exc:
                await dead_letters.send(record, f"invalid {model.__name__}: {exc}")
        if not pairs:
            return
        first = (pairs[0][0].partition, pairs[0][0].offset)
        try:
            with latency.time():
                await handle([event for _, event in pairs])
            processed.inc(len(pairs))
        except TRANSIENT_ERRORS as exc:
            retried.inc(len(pairs))
            attempt = failures[first] = failures.get(first, 0) + 1
            log.warning("transient failure, will retry", topic=topic, attempt=attempt,
                        error=repr(exc))
            await asyncio.sleep(min(0.2 * 2**attempt, 10.0))
            raise
        except Exception as exc:
            attempt = failures[first] = failures.get(first, 0) + 1
            log.error("handler failed", topic=topic, attempt=attempt, error=repr(exc))
            if attempt < max_attempts:
                retried.inc(len(pairs))
                await asyncio.sleep(min(0.1 * 2**attempt, 5.0))
                raise
            await apply_one_by_one(pairs)
        failures.pop(first, None)

    subscriber(consume)
    return subscriber


def subscribe_table(broker: KafkaBroker, *, service: str, group_id: str, max_attempts: int,
                    table: dict[str, tuple[type[BaseModel], Callable[[Any], Awaitable[None]]]]
                    ) -> dict[str, Any]:
    """Subscribe one consumer group to several topics, ``{topic: (model, handler)}``, with
    :func:`subscribe_events`; return each topic's subscriber."""
    return {topic: subscribe_events(broker, service=service, topic=topic, model=model,
                                    group_id=group_id, handle=handle, max_attempts=max_attempts)
            for topic, (model, handle) in table.items()}


def key_hash(key: str) -> int:
    """The non-negative murmur2 hash Kafka's default partitioner takes of a message key: the
    message lands on partition ``key_hash(key) % partition_count``."""
    return int(murmur2(key.encode())) & 0x7FFFFFFF


def assigned_partitions(subscriber: Any, topic: str) -> tuple[int, frozenset[int]] | None:
    """(partition count of ``topic``, the partitions of it this member consumes), or None while the
    subscriber's consumer has not joined its group yet."""
    consumer = getattr(subscriber, "consumer", None)
    if consumer is None:
        return None
    count = len(consumer.partitions_for_topic(topic) or ())
    if count == 0:
        return None
    mine = frozenset(tp.partition for tp in consumer.assignment() if tp.topic == topic)
    return count, mine


def declare_publications(broker: KafkaBroker, service: str,
                         publications: dict[str, type[BaseModel]]) -> None:
    """Declare what ``service`` publishes, with each event's schema, for the AsyncAPI document."""
    for topic, model in publications.items():
        broker.publisher(topic, schema=model, title=f"{service}:publishes:{topic}",
                         description=(model.__doc__ or "").strip().split("\n")[0])
