"""The blockers' collections (issue 16): units' blockers and leadership's directions.

- ``blockers``: one per reported blocker (``_id`` = ``blocker_id``), inserted by the API or the desk;
  its ``status`` and direction fields are set once, by whoever won the direction below;
- ``blocker_directions``: one per answered blocker (``_id`` = ``blocker_id``), a unique insert, so
  "a blocker is answered once" is decided by the insert (FerretDB v1 updates are not atomic across
  connections); a blocker read merges its direction, so a crash between the two writes still reads
  as answered.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.tracker.blockers import Blocker, BlockerStatus
from services.tracker.repository.views import Doc

_DIRECTION_FIELDS = ("status", "direction", "directed_by", "directed_at")


def _merged(doc: Doc, direction: Doc | None) -> Blocker:
    if direction is not None:
        doc = {**doc, **{k: direction[k] for k in _DIRECTION_FIELDS if k in direction}}
    return Blocker.from_doc(doc)


class BlockersRepository:
    """Reads and writes blockers and directions; returns typed records."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.blockers = db["blockers"]
        self.directions = db["blocker_directions"]

    async def create_indexes(self) -> None:
        """Indexes the lists rely on (idempotent)."""
        await self.blockers.create_index([("status", ASCENDING), ("reported_at", ASCENDING)])
        await self.blockers.create_index([("dispatch_id", ASCENDING)])

    async def add(self, blocker: Blocker) -> None:
        """Store a new blocker (its id is fresh)."""
        await self.blockers.insert_one(blocker.as_doc())

    async def blocker(self, blocker_id: str) -> Blocker | None:
        """One blocker with its direction, or None."""
        doc = await self.blockers.find_one({"_id": blocker_id})
        if doc is None:
            return None
        return _merged(doc, await self.directions.find_one({"_id": blocker_id}))

    async def direct(self, answered: Blocker) -> bool:
        """Record ``answered``'s direction once; False if the blocker was already answered."""
        fields = {k: v for k, v in answered.as_doc().items() if k in _DIRECTION_FIELDS}
        try:
            await self.directions.insert_one({"_id": answered.id, **fields})
        except DuplicateKeyError:
            return False
        await self.blockers.update_one({"_id": answered.id}, {"$set": fields})
        return True

    async def remove(self, blocker_id: str) -> None:
        """Forget a blocker that could not be announced (its report was refused)."""
        await self.blockers.delete_one({"_id": blocker_id})

    async def undirect(self, blocker: Blocker) -> None:
        """Reopen ``blocker`` (as it was before) when its direction could not be announced."""
        await self.directions.delete_one({"_id": blocker.id})
        await self.blockers.update_one({"_id": blocker.id}, {"$set": {
            k: v for k, v in blocker.as_doc().items() if k in _DIRECTION_FIELDS}})

    async def count_open(self) -> int:
        """Blockers stored as open (indexed by status; one whose direction is written but not yet
        copied onto it still counts, until the copy)."""
        return await self.blockers.count_documents({"status": BlockerStatus.OPEN.value})

    async def listed(self, *, status: BlockerStatus | None = None, dispatch_id: str | None = None,
                     unit_code: str | None = None, limit: int = 500) -> list[Blocker]:
        """Blockers (open ones oldest first; otherwise newest first), with their directions."""
        query: Doc = {}
        if dispatch_id is not None:
            query["dispatch_id"] = dispatch_id
        if unit_code is not None:
            query["unit_code"] = unit_code
        if status is not None:
            query["status"] = status.value
        order = ASCENDING if status is BlockerStatus.OPEN else DESCENDING
        docs = [d async for d in self.blockers.find(query).sort("reported_at", order).limit(limit)]
        found = {d["_id"]: d async for d in self.directions.find(
            {"_id": {"$in": [d["_id"] for d in docs]}})} if docs else {}
        merged = [_merged(d, found.get(d["_id"])) for d in docs]
        return [b for b in merged if status is None or b.status is status]
