"""Publishing a batch of events without waiting on each send.

A consumer that handles a batch decides all of it, writes it, then hands every resulting event to
the producer at once and awaits the delivery reports together, before its offsets are committed.
Kafka keeps the order of messages with the same key (the ``dispatch_id``) within a partition, so
sending them together changes nothing a reader can see; a failed delivery raises, and the batch is
redelivered (handlers are idempotent).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from faststream.kafka import KafkaBroker
from pydantic import BaseModel


@dataclass(frozen=True)
class Outgoing:
    """One event to publish: the event, its topic and its key (the dispatch id)."""

    event: BaseModel
    topic: str
    key: str


async def publish_all(broker: KafkaBroker, outgoing: Iterable[Outgoing]) -> int:
    """Hand every event to the producer, then await all their acknowledgements; return the count.

    Raises the first delivery error after every send has settled, so no acknowledgement is left
    pending when the caller's batch is redelivered.
    """
    pending: list[asyncio.Future[object]] = []
    count = 0
    for message in outgoing:
        future = await broker.publish(message.event, topic=message.topic,
                                      key=message.key.encode(), no_confirm=True)
        count += 1
        if future is not None:  # faststream's in-memory test broker delivers at once: None
            pending.append(future)
    results = await asyncio.gather(*pending, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return count
