"""Ingest's bulk writes on real FerretDB: one unordered insert reserves a batch's keys and tells
which dispatches lost one (those keep none); marks go in chunks under FerretDB's bulk-update limit;
origins already recorded stay as they were."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.repository import BULK_UPDATES, IngestRepository, Reservation
from tests.service.twice import fresh_database, real

pytestmark = pytest.mark.infra


async def test_reserve_many_mark_and_record_in_bulk(infra: Any) -> None:
    async with fresh_database(real(infra)) as db:
        repo = IngestRepository(db)
        assert await repo.reserve(["req:s:taken"], "old", "{}", "h")
        wanted = [Reservation([f"req:s:{n}", f"nat:s:{n}"], f"d{n}", "{}", "h") for n in range(60)]
        wanted[7] = Reservation(["req:s:new7", "req:s:taken"], "d7", "{}", "h")  # one key known
        wanted[9] = Reservation(["req:s:3"], "d9", "{}", "h")  # the same key as d3, in the batch
        owned = await repo.reserve_many(wanted)

        assert [n for n, mine in enumerate(owned) if not mine] == [7, 9]
        assert await repo.keys.find_one({"_id": "req:s:new7"}) is None, "a loser keeps no key"
        assert (await repo.find_key(["req:s:taken"]) or {})["dispatch_id"] == "old"
        assert (await repo.find_key(["req:s:3"]) or {})["dispatch_id"] == "d3"

        mine = [(r.keys, r.dispatch_id) for r, ok in zip(wanted, owned, strict=True) if ok]
        assert sum(len(k) for k, _ in mine) > 2 * BULK_UPDATES
        await repo.mark_published_many(mine)
        states = {d["_id"]: d["state"] async for d in repo.keys.find({})}
        assert [k for k, s in states.items() if s != "published"] == ["req:s:taken"]

        await repo.record_origin("d1", {"source_system": "first"})
        await repo.record_origins({f"d{n}": {"source_system": "s"} for n in range(5)})
        assert (await repo.origin("d1") or {})["source_system"] == "first"
        assert await repo.origins.count_documents({}) == 5
