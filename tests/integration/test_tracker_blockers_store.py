"""The blockers' store on real FerretDB: a blocker is answered once even when five directions race,
a read merges the direction, and an unannounced write can be undone."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from services.tracker.blockers import Blocker, BlockerStatus
from services.tracker.repository.blockers import BlockersRepository

pytestmark = pytest.mark.infra
AT = datetime(2024, 2, 15, 2, tzinfo=UTC)


async def test_one_direction_wins_reads_merge_it_and_writes_can_be_undone(infra: Any) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    try:
        store = BlockersRepository(client[f"test_{uuid.uuid4().hex[:12]}"])
        await store.create_indexes()
        first, second = (Blocker(id=f"b{n}", dispatch_id="d1", unit_code="QLTM", note=f"ghi chú {n}",
                                 reported_by="nva", reported_at=AT + timedelta(minutes=n))
                         for n in (1, 2))
        await store.add(second)
        await store.add(first)
        assert [b.id for b in await store.listed(status=BlockerStatus.OPEN)] == ["b1", "b2"]

        answers = [first.directed(f"chỉ đạo {n}", f"leader{n}", AT + timedelta(hours=1))
                   for n in range(5)]
        won = await asyncio.gather(*(store.direct(a) for a in answers))
        assert sorted(won) == [False] * 4 + [True]
        winner = answers[won.index(True)]
        stored = await store.blocker("b1")
        assert stored is not None and stored.status is BlockerStatus.DIRECTED
        assert (stored.direction, stored.directed_by) == (winner.direction, winner.directed_by)
        assert stored.directed_at == winner.directed_at
        assert [b.id for b in await store.listed(status=BlockerStatus.OPEN)] == ["b2"]
        assert [b.id for b in await store.listed(dispatch_id="d1")] == ["b2", "b1"]  # newest first

        await store.undirect(first)  # its event could not go out
        reopened = await store.blocker("b1")
        assert reopened is not None and reopened.status is BlockerStatus.OPEN
        assert reopened.direction is None
        await store.remove("b2")
        assert await store.blocker("b2") is None
        assert [b.id for b in await store.listed(status=BlockerStatus.OPEN)] == ["b1"]
    finally:
        await client.close()
