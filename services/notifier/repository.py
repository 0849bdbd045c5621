"""The notifier's MongoDB repository: the history of every notification, one record per dedup key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.notifier.escalation import Notification

Doc = dict[str, Any]


class NotificationRepository:
    """Reads and writes ``notifications``; ``_id`` is the dedup key (assignment, level, recipient)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.notifications = db["notifications"]

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.notifications.create_index([("dispatch_id", ASCENDING)])

    async def record_once(self, note: Notification, *, dispatch_id: str, event_id: str,
                          level: int, sent_at: datetime) -> bool:
        """Record ``note`` as sent; False if it was already sent (a redelivered signal)."""
        try:
            await self.notifications.insert_one({
                "_id": note.dedup_key, "dispatch_id": dispatch_id, "event_id": event_id,
                "recipient": note.recipient, "channel": note.channel, "level": level,
                "text": note.text, "status": "sent", "sent_at": sent_at,
            })
        except DuplicateKeyError:
            return False
        return True

    async def history(self, dispatch_id: str | None, limit: int = 200) -> list[Doc]:
        """Notifications, newest first, optionally for one dispatch."""
        query = {"dispatch_id": dispatch_id} if dispatch_id else {}
        cursor = self.notifications.find(query).sort("sent_at", -1).limit(limit)
        return [doc async for doc in cursor]
