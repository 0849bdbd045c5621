"""Ingest's MongoDB repository: seen submission keys, origins, edXML status messages, and stored
files (through :class:`shared.blobs.BlobStore`, the layout the router reads bodies back from). The
only module of ingest that talks to MongoDB.

What admission calls (keys, origins, storing files) raises :class:`StoreUnavailable` for any driver
error, so admission answers 503 without knowing the driver. The status outbox's calls let driver
errors through: the Kafka handler retries a ``ConnectionFailure`` for as long as it lasts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from pymongo import ASCENDING, DeleteOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, PyMongoError

from shared.blobs import BlobStore
from shared.events import Attachment

Doc = dict[str, Any]
P = ParamSpec("P")
R = TypeVar("R")
DUPLICATE_KEY = 11000
BULK_DELETES = 25
"""Deletes per bulk write (releases are rare): FerretDB v1 deadlocks on bulk updates of 100 existing
documents, or of 50 from three connections at once (ADR 0013)."""


class StoreUnavailable(Exception):
    """MongoDB did not do what admission asked (unreachable, timed out, refused the write)."""


@dataclass(frozen=True)
class Reservation:
    """The keys one dispatch asks to own, with what a retry needs to publish it again."""

    keys: list[str]
    dispatch_id: str
    event_json: str
    request_hash: str


def _store_errors(method: Callable[P, Coroutine[Any, Any, R]]
                  ) -> Callable[P, Coroutine[Any, Any, R]]:
    """Turn the driver's errors raised by ``method`` into :class:`StoreUnavailable`."""
    @functools.wraps(method)
    async def translated(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except PyMongoError as exc:
            raise StoreUnavailable(repr(exc)) from exc
    return translated


class IngestRepository:
    """Collections ``ingest_keys``, ``dispatch_origins``, ``edxml_outbox``, and the blob store."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.keys = db["ingest_keys"]
        self.files = BlobStore(db)
        self.origins = db["dispatch_origins"]
        self.outbox = db["edxml_outbox"]

    async def create_indexes(self) -> None:
        """Indexes the queries rely on (idempotent)."""
        await self.keys.create_index([("dispatch_id", ASCENDING)])
        await self.files.create_indexes()
        await self.outbox.create_index([("dispatch_id", ASCENDING)])

    @_store_errors
    async def find_key(self, keys: list[str]) -> Doc | None:
        """The first already-reserved record among ``keys``, if any (``_id`` lookups in the order of
        ``keys``, stopping at the first found: a submission has one to three). Its ``state``
        is ``published`` once its dispatch's origin is recorded (:meth:`record_published`)."""
        for key in keys:
            if (doc := await self.keys.find_one({"_id": key})) is not None:
                if doc["state"] != "published" and await self.origins.find_one(
                        {"_id": doc["dispatch_id"]}, {"_id": 1}) is not None:
                    doc["state"] = "published"
                return doc
        return None

    @_store_errors
    async def reserve(self, keys: list[str], dispatch_id: str, event_json: str,
                      request_hash: str) -> bool:
        """Reserve every key for ``dispatch_id``; False (and nothing kept) if one was taken.

        A unique ``_id`` insert is the only write FerretDB v1 applies atomically across
        connections, so it decides which of several concurrent submissions wins.
        """
        now = datetime.now(UTC)
        docs = [{"_id": k, "dispatch_id": dispatch_id, "state": "pending", "event": event_json,
                 "request_hash": request_hash, "created_at": now} for k in keys]
        try:
            await self.keys.insert_many(docs, ordered=False)
        except BulkWriteError:
            await self.release(keys, dispatch_id)
            return False
        return True

    @_store_errors
    async def reserve_many(self, reservations: list[Reservation]) -> list[bool]:
        """Reserve the keys of several dispatches in one unordered insert; for each, whether all
        its keys are now its own. A dispatch that lost one key keeps none (released here)."""
        now = datetime.now(UTC)
        docs, owner = [], []
        for index, r in enumerate(reservations):
            for key in r.keys:
                docs.append({"_id": key, "dispatch_id": r.dispatch_id, "state": "pending",
                             "event": r.event_json, "request_hash": r.request_hash,
                             "created_at": now})
                owner.append(index)
        if not docs:
            return [True] * len(reservations)
        lost: set[int] = set()
        try:
            await self.keys.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            failed = exc.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in failed):
                raise
            lost = {owner[e["index"]] for e in failed}
        if lost:
            await self._release_all([(reservations[i].keys, reservations[i].dispatch_id)
                                     for i in sorted(lost)])
        return [i not in lost for i in range(len(reservations))]

    @_store_errors
    async def release(self, keys: list[str], dispatch_id: str) -> None:
        """Drop reservations of ``dispatch_id`` (and only those)."""
        await self._release_all([(keys, dispatch_id)])

    async def _release_all(self, owned: list[tuple[list[str], str]]) -> None:
        deletes = [DeleteOne({"_id": k, "dispatch_id": d}) for keys, d in owned for k in keys]
        for start in range(0, len(deletes), BULK_DELETES):
            await self.keys.bulk_write(deletes[start:start + BULK_DELETES], ordered=False)

    @_store_errors
    async def record_published(self, origins: dict[str, Doc]) -> None:
        """Record that Kafka acknowledged these dispatches, and where each came from (for the
        edXML status messages back), in one unordered insert: the origin is the mark, so no key
        is updated (FerretDB v1 deadlocks on concurrent bulk updates, ADR 0013). An origin
        already recorded stays as it is."""
        if not origins:
            return
        try:
            await self.origins.insert_many([{"_id": d, **o} for d, o in origins.items()],
                                           ordered=False)
        except BulkWriteError as exc:
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise

    async def origin(self, dispatch_id: str) -> Doc | None:
        """Where a document came from, if it came through this ingest."""
        return await self.origins.find_one({"_id": dispatch_id})

    async def store_status(self, event_id: str, dispatch_id: str, system: str, xml: bytes,
                           at: datetime) -> None:
        """Keep one edXML status message (once per event id)."""
        await self.outbox.update_one({"_id": event_id}, {"$setOnInsert": {
            "dispatch_id": dispatch_id, "source_system": system, "xml": xml.decode(),
            "at": at}}, upsert=True)

    async def statuses(self, dispatch_id: str) -> list[Doc]:
        """The edXML status messages of a dispatch, oldest first."""
        cursor = self.outbox.find({"dispatch_id": dispatch_id}).sort("at", ASCENDING)
        return [doc async for doc in cursor]

    @_store_errors
    async def store_blob(self, data: bytes, filename: str, content_type: str,
                         blob_id: str | None = None) -> Attachment:
        """Store a file in chunks (under ``blob_id`` if given) and return its reference."""
        return await self.files.put(data, filename, content_type, blob_id)

    async def read_blob(self, blob_id: str) -> bytes | None:
        """The stored file's bytes, or None if unknown or incomplete."""
        return await self.files.get(blob_id)
