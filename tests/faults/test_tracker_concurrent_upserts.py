"""Found by the fault runs: two tracker consumers (``received`` and ``assigned``) upsert the same
``dispatches`` document at once. On FerretDB v1 the losing upsert's reply has write errors but no
``nModified``, so PyMongo raises ``KeyError('nModified')`` instead of ``BulkWriteError``;
``TrackerRepository._bulk`` only tolerates duplicate keys via ``BulkWriteError``, so the whole batch
fails as a non-transient error, is retried with back-off, and after ``HANDLER_MAX_ATTEMPTS`` would be
applied one by one and, if it keeps failing, dead-lettered instead of tracked.

Fixed: shared/mongo.py bulk_write_idempotent sends such a chunk again (the writes are idempotent);
the tracker's own creations are now inserts, and this test keeps the repository tolerant."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from services.tracker.repository import TrackerRepository
from services.tracker.writes import SetFields, WriteBatch
from tests.conftest import InfraEndpoints

pytestmark = pytest.mark.infra


async def test_concurrent_upserts_of_one_dispatch_are_tolerated(infra: InfraEndpoints) -> None:
    if infra.local is None:
        pytest.skip("the reply without nModified is FerretDB's; MongoDB answers BulkWriteError")
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    repo = TrackerRepository(client[f"upserts_{uuid.uuid4().hex[:8]}"])
    try:
        for _ in range(5):
            ids = [str(uuid.uuid4()) for _ in range(20)]

            def batch(field: str, ids: list[str] = ids) -> WriteBatch:
                return WriteBatch(dispatches=[
                    SetFields(i, {field: True}, upsert=True) for i in ids])

            await asyncio.gather(repo.apply(batch("received")), repo.apply(batch("assigned")))
            async for doc in repo.dispatches.find({"_id": {"$in": ids}}):
                assert doc.get("received") is not None or doc.get("assigned") is not None
    finally:
        await client.close()
