"""Accepting a dispatch: reserve its keys, publish to Kafka, answer. The service layer of ingest.

Outcomes: ``202`` new and acknowledged by Kafka; ``200`` already known (the original id);
``503`` Kafka did not acknowledge in time, nothing accepted; ``422`` a key reused for another request.
A reservation whose publication failed stays *pending* with its event: a retry publishes that same
event (same ``dispatch_id`` and ``event_id``, so consumers dedupe it if the first copy went out late).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiokafka.errors import KafkaError

from shared.events import DispatchReceived
from shared.logging import get_logger

log = get_logger(__name__)
Publish = Callable[[DispatchReceived], Awaitable[None]]
Probe = Callable[[], Awaitable[bool]]


async def _always_ready() -> bool:
    return True


class KeyStore(Protocol):
    """What accepting needs from the repository."""

    async def find_key(self, keys: list[str]) -> dict[str, Any] | None: ...
    async def reserve(self, keys: list[str], dispatch_id: str, event_json: str,
                      request_hash: str) -> bool: ...
    async def mark_published(self, keys: list[str], dispatch_id: str) -> None: ...
    async def record_origin(self, dispatch_id: str, origin: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """The answer to one submission."""

    status: int
    dispatch_id: str | None = None
    detail: str | None = None


class DispatchAcceptor:
    """Accepts each document once, and only once Kafka has acknowledged it."""

    def __init__(self, store: KeyStore, publish: Publish, timeout_s: float,
                 kafka_ready: Probe = _always_ready) -> None:
        """``kafka_ready`` is asked before each publication. An idempotent producer never drops a
        buffered message, so one handed to it while Kafka is down would still be delivered after a
        503; asking first keeps that window to the instant between the probe and the send, and the
        message's fixed ``event_id`` lets consumers drop the rare late copy."""
        self._store = store
        self._publish = publish
        self._timeout_s = timeout_s
        self._kafka_ready = kafka_ready

    async def accept(self, event: DispatchReceived, keys: list[str], request_hash: str) -> Outcome:
        """Publish ``event`` unless one of ``keys`` is already known."""
        if not keys:
            return await self._publish_new(event, keys)
        for _ in range(3):
            existing = await self._store.find_key(keys)
            if existing is not None:
                return await self._known(existing, keys, request_hash)
            if await self._store.reserve(keys, event.dispatch_id, event.model_dump_json(),
                                         request_hash):
                return await self._publish_new(event, keys)
        return Outcome(503, detail="could not reserve the submission's keys; retry")

    async def _publish_new(self, event: DispatchReceived, keys: list[str]) -> Outcome:
        if not await self._try_publish(event):
            return Outcome(503, detail="Kafka is unavailable; the dispatch was NOT accepted. Retry.")
        if keys:
            await self._store.mark_published(keys, event.dispatch_id)
        await self._remember(event)
        return Outcome(202, event.dispatch_id)

    async def _remember(self, event: DispatchReceived) -> None:
        """Keep the origin for status messages back. Kafka already has the dispatch: a failure here
        must not turn the 202 into an error (the client would send it again), only cost the edXML
        status messages of this one document."""
        try:
            await self._store.record_origin(event.dispatch_id, {
                "source_system": event.source_system, "issuer": event.issuer,
                "number": event.number, "notation": event.notation,
                "document_id": event.document_id,
                "issued_on": event.issued_on.isoformat() if event.issued_on else None})
        except Exception as exc:
            log.error("origin not recorded; edXML status messages for it will be missing",
                      dispatch_id=event.dispatch_id, event_id=event.event_id, error=repr(exc))

    async def _known(self, existing: dict[str, Any], keys: list[str], request_hash: str) -> Outcome:
        dispatch_id = str(existing["dispatch_id"])
        if existing["_id"].startswith("idem:") and existing.get("request_hash") != request_hash:
            return Outcome(422, dispatch_id,
                           "Idempotency-Key was already used for a different request")
        if existing["state"] == "published":
            return Outcome(200, dispatch_id)
        age = datetime.now(UTC) - existing["created_at"].replace(tzinfo=UTC)
        if age < timedelta(seconds=self._timeout_s):
            published = await self._wait_published(keys, dispatch_id)
            return Outcome(200, dispatch_id) if published else Outcome(
                503, dispatch_id, "the same document is being accepted right now; retry")
        stored = DispatchReceived.model_validate_json(existing["event"])
        if not await self._try_publish(stored):
            return Outcome(503, dispatch_id, "Kafka is unavailable; retry")
        await self._store.mark_published([existing["_id"]], dispatch_id)
        await self._remember(stored)
        return Outcome(202, dispatch_id)  # first acknowledged now: the earlier try got a 503

    async def _wait_published(self, keys: list[str], dispatch_id: str) -> bool:
        for _ in range(int(self._timeout_s / 0.1) + 1):
            current = await self._store.find_key(keys)
            if current is not None and current["state"] == "published":
                return True
            await asyncio.sleep(0.1)
        return False

    async def _try_publish(self, event: DispatchReceived) -> bool:
        if not await self._kafka_ready():
            log.error("kafka unreachable, dispatch refused", dispatch_id=event.dispatch_id,
                      event_id=event.event_id)
            return False
        try:
            await asyncio.wait_for(self._publish(event), self._timeout_s)
        except (KafkaError, TimeoutError, ConnectionError) as exc:
            log.error("kafka did not acknowledge", dispatch_id=event.dispatch_id,
                      event_id=event.event_id, error=repr(exc))
            return False
        return True
