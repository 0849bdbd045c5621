"""Ingest's bulk writes on real FerretDB: one unordered insert reserves a batch's keys and tells
which dispatches lost one (those keep none); one insert of origins records them published, with no
update of any key (FerretDB v1 deadlocks on concurrent bulk updates); origins already recorded stay
as they were."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.repository import IngestRepository, Reservation
from tests.service.twice import fresh_database, real

pytestmark = pytest.mark.infra


async def test_reserve_many_then_record_published_in_bulk(infra: Any) -> None:
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

        mine = [r.dispatch_id for r, ok in zip(wanted, owned, strict=True) if ok]
        assert (await repo.find_key(["req:s:3"]) or {})["state"] == "pending"
        await repo.record_published({"d1": {"source_system": "first"}})
        await repo.record_published({d: {"source_system": "s"} for d in mine})
        for key in ("req:s:3", "nat:s:3", "req:s:59"):
            assert (await repo.find_key([key]) or {})["state"] == "published"
        assert (await repo.find_key(["req:s:taken"]) or {})["state"] == "pending"
        assert (await repo.origin("d1") or {})["source_system"] == "first"
        assert await repo.origins.count_documents({}) == len(mine)
