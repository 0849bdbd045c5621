"""The notifier's MongoDB repository: one record per dedup key with every delivery attempt.

Implements the :class:`~services.notifier.delivery.DeliveryLog` protocol: ``claim`` is a unique
insert (the only write FerretDB v1 applies atomically across connections), so a key is sent once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

Doc = dict[str, Any]


class NotificationRepository:
    """Reads and writes ``notifications``; ``_id`` is the dedup key (assignment, level, recipient)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.notifications = db["notifications"]

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.notifications.create_index([("dispatch_id", ASCENDING)])
        await self.notifications.create_index([("claimed_at", ASCENDING)])

    async def claim(self, key: str) -> bool:
        """True the first time ``key`` is claimed, across every notifier replica."""
        parts = key.split("/")
        try:
            await self.notifications.insert_one({
                "_id": key, "dispatch_id": parts[0] if parts[0] != "digest" else None,
                "unit_code": parts[1] if len(parts) > 4 else None, "kind": parts[-3],
                "recipient": parts[-2], "channel": parts[-1], "status": "claimed",
                "attempts": [], "claimed_at": datetime.now(UTC)})
        except DuplicateKeyError:
            return False
        return True

    async def record_attempt(self, key: str, attempt: int, outcome: str, error: str | None) -> None:
        """Record one attempt and the key's current status."""
        doc = await self.notifications.find_one({"_id": key}, {"attempts": 1})
        attempts = [*(doc or {}).get("attempts", []),
                    {"attempt": attempt, "outcome": outcome, "error": error,
                     "at": datetime.now(UTC)}]
        await self.notifications.update_one({"_id": key}, {"$set": {
            "status": outcome, "attempts": attempts, "updated_at": datetime.now(UTC)}})

    async def history(self, dispatch_id: str | None, limit: int = 500) -> list[Doc]:
        """Notifications, newest first, optionally for one dispatch."""
        query = {"dispatch_id": dispatch_id} if dispatch_id else {}
        cursor = self.notifications.find(query).sort("claimed_at", -1).limit(limit)
        return [doc async for doc in cursor]
