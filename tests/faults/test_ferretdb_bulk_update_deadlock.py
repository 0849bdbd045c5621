"""Found by the benchmark: one tracker batch of 100 or more events that update existing documents
freezes FerretDB 1.24 (SQLite backend) for good, and with it every service.

``TrackerRepository.apply`` sends each collection's writes as one ``bulk_write`` (one ``update``
command). FerretDB keeps each statement's query cursor, with its pooled SQLite connection, open until
the whole command ends; the pool holds 100 connections, so the 100th statement waits forever for a
connection its own command holds. The tracker's consumer fetches up to 200 events a batch
(``max_records`` in shared/kafka.py), so any backlog of 100 ``assigned`` events (after a restart, an
outage or a burst) updates 100 existing ``dispatches`` at once. The client then times out, which is a
transient error, so the batch is retried forever against a FerretDB that answers no one.
Fixed: shared/mongo.py bulk_write_idempotent sends at most 50 statements per command; this test
keeps it fixed. It runs its own FerretDB, since a regression would leave it frozen.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from services.tracker.repository import TrackerRepository
from services.tracker.writes import SetFields, WriteBatch
from tests.conftest import InfraEndpoints
from tools.infra.ferretdb import FerretNode
from tools.infra.paths import free_port

pytestmark = pytest.mark.infra


def updates(ids: list[str]) -> WriteBatch:
    return WriteBatch(dispatches=[SetFields(i, {"rule_id": "r"}, upsert=True)
                                  for i in ids])


async def test_a_batch_of_100_updates_of_existing_dispatches_is_applied(
    infra: InfraEndpoints, tmp_path: Path,
) -> None:
    if infra.local is None:
        pytest.skip("the deadlock is FerretDB's; MongoDB applies the batch")
    node = FerretNode(tmp_path / "ferretdb", free_port())
    proc = node.start()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(node.url, socketTimeoutMS=10000)
    repo = TrackerRepository(client["deadlock"])
    try:
        for size in (99, 100):
            ids = [str(uuid.uuid4()) for _ in range(size)]
            await repo.dispatches.insert_many([{"_id": i} for i in ids])
            await repo.apply(updates(ids))  # one command of 100 froze FerretDB; now chunked
            assert await repo.dispatches.count_documents({"rule_id": "r"}) >= size
    finally:
        proc.kill()
        await client.close()
