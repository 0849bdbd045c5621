"""Reviews of parsed fields (issue 18): the ``field_reviews`` collection.

One document per ``DispatchCorrected`` (``_id`` = its event id), inserted once by the tracker's
event consumer: the dispatch, the field, confirmed or corrected, the value before and after, who
and when, the confidence the reading had. ``GET /corrections`` (and ``vanthu corrections export``)
read it; the dispatch's own fields are changed through
:class:`~services.tracker.repository.TrackerRepository`, the dispatches' one writer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.events_corrections import DispatchCorrected

Doc = dict[str, Any]


class CorrectionsRepository:
    """Reads and writes the reviews of parsed fields."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.reviews = db["field_reviews"]

    async def create_indexes(self) -> None:
        """Create the index the listing relies on (idempotent)."""
        await self.reviews.create_index([("occurred_at", ASCENDING)])

    async def add(self, event: DispatchCorrected) -> bool:
        """Store a review; False when it was stored already (a redelivery)."""
        doc = event.model_dump(mode="json", include={
            "dispatch_id", "field", "review", "before", "after", "confidence", "corrected_by",
            "reason"})
        try:
            await self.reviews.insert_one({"_id": event.event_id, **doc,
                                           "occurred_at": event.occurred_at,
                                           "rerouted": event.reroutes})
        except DuplicateKeyError:
            return False
        return True

    async def listed(self, *, since: datetime | None = None, limit: int = 5000) -> list[Doc]:
        """Reviews, oldest first, since an instant (all when None)."""
        query: Doc = {} if since is None else {"occurred_at": {"$gte": since}}
        return [d async for d in self.reviews.find(query).sort("occurred_at", 1).limit(limit)]
