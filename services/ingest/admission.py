"""Admission: the step that takes a built dispatch in, once. The service layer of ingest.

Admitting a dispatch (a ``DispatchReceived`` built by :mod:`services.ingest.dispatch_builder`)
reserves its submission keys, stores its files, publishes it to Kafka, and records where it came
from (for the edXML status messages back); that record is also the mark that it was published.
A batch of them is admitted together by :mod:`services.ingest.batch`, with one write per step.

Outcomes: ``202`` new and acknowledged by Kafka; ``200`` already known (the original id); ``422`` a
key reused for another request; ``503`` in two honest kinds:

- *nothing accepted* (no ``dispatch_id``): Kafka or MongoDB was unreachable before the message was
  handed to the producer; the reservation is released, nothing can arrive later.
- *not confirmed* (with the ``dispatch_id``): the message was handed to the producer but Kafka did not
  acknowledge in time. An idempotent producer keeps it and may still deliver it, so the reservation
  stays *pending* with its event: a retry of the same request (same Idempotency-Key, or the same
  content without one) gets that same ``dispatch_id`` and publishes that same event (same
  ``event_id``, which consumers dedupe), so a late delivery is never a second dispatch.

The keys are reserved first (a unique ``_id`` insert refuses a known key by itself), and looked up
only when that insert was refused: a new document costs no read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiokafka.errors import KafkaError

from services.ingest.dispatch_builder import Blob
from services.ingest.repository import Reservation, StoreUnavailable
from shared.events import Attachment, DispatchReceived
from shared.logging import get_logger

log = get_logger(__name__)
Publish = Callable[[DispatchReceived], Awaitable[None]]
Probe = Callable[[], Awaitable[bool]]
NOT_ACCEPTED = "Kafka không sẵn sàng; công văn CHƯA được tiếp nhận. Hãy gửi lại sau."
NOT_CONFIRMED = ("Kafka chưa xác nhận kịp; công văn có thể vẫn được chuyển đi với dispatch_id này. "
                 "Hãy gửi lại đúng yêu cầu này: câu trả lời sẽ mang cùng dispatch_id.")
STORE_DOWN = "Cơ sở dữ liệu không sẵn sàng; công văn CHƯA được tiếp nhận. Hãy gửi lại sau."


async def _always_ready() -> bool:
    return True


def _nothing() -> None:
    return None


class AdmissionStore(Protocol):
    """What admission needs from the repository (which raises :class:`StoreUnavailable`)."""

    async def find_key(self, keys: list[str]) -> dict[str, Any] | None: ...
    async def reserve(self, keys: list[str], dispatch_id: str, event_json: str,
                      request_hash: str) -> bool: ...
    async def reserve_many(self, reservations: list[Reservation]) -> list[bool]: ...
    async def release(self, keys: list[str], dispatch_id: str) -> None: ...
    async def record_published(self, origins: dict[str, dict[str, Any]]) -> None: ...
    async def store_blob(self, data: bytes, filename: str, content_type: str,
                         blob_id: str | None = None) -> Attachment: ...


@dataclass(frozen=True)
class Candidate:
    """One built dispatch to admit: its event, keys, request hash and files."""

    event: DispatchReceived
    keys: list[str]
    request_hash: str
    blobs: Sequence[Blob] = ()


@dataclass(frozen=True)
class Outcome:
    """The answer to one submission: its HTTP status, dispatch id and reason."""

    status: int
    dispatch_id: str | None = None
    detail: str | None = None


@dataclass
class Published:
    """Dispatches Kafka acknowledged, not yet recorded as published (a batch records them at once)."""

    marks: list[tuple[list[str], DispatchReceived]] = field(default_factory=list)


class Admission:
    """Admits each dispatch once, and answers 202 only once Kafka has acknowledged it."""

    def __init__(self, store: AdmissionStore, publish: Publish, timeout_s: float,
                 kafka_ready: Probe = _always_ready,
                 kafka_failed: Callable[[], None] = _nothing) -> None:
        """``kafka_ready`` is asked before each publication (a cached state,
        :mod:`services.ingest.readiness`, no I/O); ``kafka_failed`` is told when Kafka did not
        acknowledge one. An idempotent producer never drops a buffered message, so one handed to it
        while Kafka is down would still be delivered after a 503; asking first keeps that window
        short, and the message's fixed ``event_id`` lets consumers drop the rare late copy."""
        self.store = store
        self._publish = publish
        self._timeout_s = timeout_s
        self._kafka_ready = kafka_ready
        self._kafka_failed = kafka_failed

    async def admit(self, event: DispatchReceived, keys: list[str], request_hash: str,
                    blobs: Sequence[Blob] = ()) -> Outcome:
        """Publish ``event`` unless one of ``keys`` is already known.

        ``blobs`` (the uploaded file, a body too large to travel inline) are stored only once the
        keys are reserved for this event, so a known or refused document leaves nothing behind."""
        later = Published()
        outcome = await self.admit_candidate(Candidate(event, keys, request_hash, blobs), later)
        await self.finish(later)
        return outcome

    async def admit_candidate(self, candidate: Candidate, later: Published, *,
                              reserved: bool = False) -> Outcome:
        """Admit one candidate (``reserved``: its keys are already its own); a published one is
        added to ``later``, for :meth:`finish`."""
        event, keys, request_hash = candidate.event, candidate.keys, candidate.request_hash
        try:
            if reserved:
                return await self._publish_new(event, keys, candidate.blobs, later)
            for _ in range(3):
                if await self.store.reserve(keys, event.dispatch_id, event.model_dump_json(),
                                            request_hash):
                    return await self._publish_new(event, keys, candidate.blobs, later)
                existing = await self.store.find_key(keys)
                if existing is not None:
                    return await self._known(existing, keys, request_hash, later)
        except StoreUnavailable as exc:
            log.error("key store unavailable, dispatch refused", dispatch_id=event.dispatch_id,
                      error=repr(exc))
            return Outcome(503, detail=STORE_DOWN)
        return Outcome(503, detail="could not reserve the submission's keys; retry")

    async def _publish_new(self, event: DispatchReceived, keys: list[str],
                           blobs: Sequence[Blob], later: Published) -> Outcome:
        if not await self._kafka_ready():
            log.error("kafka unreachable, dispatch refused", dispatch_id=event.dispatch_id,
                      event_id=event.event_id)
            await self.store.release(keys, event.dispatch_id)
            return Outcome(503, detail=NOT_ACCEPTED)
        if blobs:
            try:
                for blob in blobs:
                    a = blob.attachment
                    await self.store.store_blob(blob.data, a.filename, a.content_type, a.blob_id)
            except BaseException:
                await self.store.release(keys, event.dispatch_id)
                raise
        if not await self._try_publish(event):
            return Outcome(503, event.dispatch_id, NOT_CONFIRMED)
        later.marks.append((keys, event))
        return Outcome(202, event.dispatch_id)

    async def finish(self, later: Published) -> None:
        """Record the acknowledged dispatches as published, with their origins, in one write.

        Kafka has them: from here on no failure may turn a 202 into an error (the client would
        send it again). A dispatch left unrecorded is published again on a retry, and the fixed
        ``event_id`` makes that copy a no-op for consumers; its edXML status messages are lost."""
        if not later.marks:
            return
        try:
            await self.store.record_published({e.dispatch_id: _origin(e) for _, e in later.marks})
        except Exception as exc:
            for _, event in later.marks:
                log.error("published dispatch not recorded; a retry republishes the same event",
                          dispatch_id=event.dispatch_id, event_id=event.event_id, error=repr(exc))

    async def _known(self, existing: dict[str, Any], keys: list[str], request_hash: str,
                     later: Published) -> Outcome:
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
        if not await self._kafka_ready() or not await self._try_publish(stored):
            return Outcome(503, dispatch_id, NOT_CONFIRMED)
        later.marks.append(([existing["_id"]], stored))
        return Outcome(202, dispatch_id)  # first acknowledged now: the earlier try got a 503

    async def _wait_published(self, keys: list[str], dispatch_id: str) -> bool:
        for _ in range(int(self._timeout_s / 0.1) + 1):
            current = await self.store.find_key(keys)
            if current is not None and current["state"] == "published":
                return True
            await asyncio.sleep(0.1)
        return False

    async def _try_publish(self, event: DispatchReceived) -> bool:
        try:
            await asyncio.wait_for(self._publish(event), self._timeout_s)
        except (KafkaError, TimeoutError, ConnectionError) as exc:
            log.error("kafka did not acknowledge", dispatch_id=event.dispatch_id,
                      event_id=event.event_id, error=repr(exc))
            self._kafka_failed()
            return False
        return True


def _origin(event: DispatchReceived) -> dict[str, Any]:
    """Where a document came from, as the edXML status messages need it."""
    return {"source_system": event.source_system, "issuer": event.issuer, "number": event.number,
            "notation": event.notation, "document_id": event.document_id,
            "issued_on": event.issued_on.isoformat() if event.issued_on else None}
