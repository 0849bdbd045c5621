"""The notifier's MongoDB repository: one record per dedup key with every delivery attempt, and
the folded (held) notifications waiting for their window.

Implements :class:`~services.notifier.delivery_log.DeliveryLog` and
:class:`~services.notifier.delivery_log.SweepStore` on ``notifications`` (``claim`` is a unique insert,
the only write FerretDB v1 applies atomically across connections, so a key is sent once) and
:class:`~services.notifier.holding.HeldStore` on ``held_notifications`` (unique inserts, ``_id``
deletes), and the Zalo OA's token pair (:class:`ZaloTokenRepository`). No transactions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.notifier.channels.zalo_oauth import TokenPair, token_digest
from services.notifier.delivery_log import OPEN_STATUSES, OpenRecord
from services.notifier.escalation import PlannedNotification
from services.notifier.failures import Step, describe_key
from services.notifier.holding import plan_from_doc, plan_to_doc
from services.notifier.zalo_tokens import StoredPair
from shared.logging import get_logger

Doc = dict[str, Any]
log = get_logger(__name__)


def _touched(doc: Doc) -> datetime:
    at: datetime = doc.get("touched_at") or doc.get("updated_at") or doc["claimed_at"]
    return at if at.tzinfo else at.replace(tzinfo=UTC)


class NotificationRepository:
    """Reads and writes ``notifications`` (``_id`` = the dedup key) and ``held_notifications``."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.notifications = db["notifications"]
        self.held_notifications = db["held_notifications"]

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.notifications.create_index([("dispatch_id", ASCENDING)])
        await self.notifications.create_index([("claimed_at", ASCENDING)])
        await self.notifications.create_index([("status", ASCENDING)])

    async def claim(self, key: str) -> bool:
        """True the first time ``key`` is claimed, across every notifier replica."""
        info, now = describe_key(key), datetime.now(UTC)
        try:
            await self.notifications.insert_one({
                "_id": key, "dispatch_id": info.dispatch_id, "unit_code": info.unit_code,
                "kind": info.kind_part, "recipient": info.recipient_id, "channel": info.channel,
                "status": "claimed", "attempts": [], "claimed_at": now, "touched_at": now})
        except DuplicateKeyError:
            return False
        return True

    async def record_attempt(self, key: str, attempt: int, outcome: str, error: str | None,
                             step: Step | None = None) -> None:
        """Record one attempt and the key's current status (a failure: its step and reason)."""
        doc = await self.notifications.find_one({"_id": key}, {"attempts": 1})
        now = datetime.now(UTC)
        attempts = [*(doc or {}).get("attempts", []),
                    {"attempt": attempt, "outcome": outcome, "error": error, "step": step, "at": now}]
        update: Doc = {"status": outcome, "attempts": attempts, "updated_at": now, "touched_at": now}
        if outcome == "failed":
            update |= {"step": step or "send", "reason": error, "reported": False}
        await self.notifications.update_one({"_id": key}, {"$set": update})

    async def mark_reported(self, keys: Sequence[str]) -> None:
        """The failure of ``keys`` was published."""
        for key in keys:
            await self.notifications.update_one({"_id": key}, {"$set": {"reported": True}})

    async def open_records(self, open_before: datetime, failed_before: datetime) -> list[OpenRecord]:
        """Open records (claimed, retrying) untouched since ``open_before``, and unreported failures
        untouched since ``failed_before``."""
        found: list[OpenRecord] = []
        for query, touched_before in (({"status": {"$in": list(OPEN_STATUSES)}}, open_before),
                                      ({"status": "failed", "reported": False}, failed_before)):
            async for doc in self.notifications.find(query, {"status": 1, "attempts": 1, "step": 1,
                                                             "reason": 1, "claimed_at": 1,
                                                             "updated_at": 1, "touched_at": 1}):
                if (touched := _touched(doc)) < touched_before:
                    made = sum(1 for a in doc.get("attempts", []) if a.get("attempt", 0) > 0)
                    found.append(OpenRecord(doc["_id"], doc["status"], made, touched,
                                            doc.get("step"), doc.get("reason")))
        return found

    async def fail_stale(self, key: str, reason: str) -> bool:
        """Record a failure (step 'claim') on ``key`` if it is still open."""
        doc = await self.notifications.find_one({"_id": key}, {"status": 1, "attempts": 1})
        if doc is None or doc.get("status") not in OPEN_STATUSES:
            return False
        now = datetime.now(UTC)
        attempts = [*doc.get("attempts", []), {"attempt": 0, "outcome": "failed", "error": reason,
                                               "step": "claim", "at": now}]
        result = await self.notifications.update_one(
            {"_id": key, "status": doc["status"]},
            {"$set": {"status": "failed", "step": "claim", "reason": reason, "reported": False,
                      "attempts": attempts, "updated_at": now, "touched_at": now}})
        return result.modified_count == 1

    async def history(self, dispatch_id: str | None, limit: int = 500) -> list[Doc]:
        """Notifications, newest first, optionally for one dispatch."""
        query = {"dispatch_id": dispatch_id} if dispatch_id else {}
        cursor = self.notifications.find(query).sort("claimed_at", -1).limit(limit)
        return [doc async for doc in cursor]

    async def hold(self, item: PlannedNotification) -> None:
        """Keep a held notification (once per key)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.held_notifications.insert_one(
                {"_id": item.key, "plan": plan_to_doc(item), "held_at": datetime.now(UTC)})

    async def held(self) -> list[PlannedNotification]:
        """Every held notification, oldest first (an unreadable one is logged and left)."""
        items = []
        async for doc in self.held_notifications.find({}).sort("held_at", ASCENDING):
            try:
                items.append(plan_from_doc(doc["plan"]))
            except (KeyError, TypeError, ValueError) as exc:
                log.error("held notification unreadable, left in place", key=doc["_id"],
                          error=type(exc).__name__)
        return items

    async def release(self, keys: Sequence[str]) -> None:
        """Forget held notifications whose outcome is recorded."""
        for key in keys:
            await self.held_notifications.delete_one({"_id": key})


class ZaloTokenRepository:
    """Implements :class:`~services.notifier.zalo_tokens.ZaloTokenStore`: the OA's token pair in
    ``zalo_oa_token`` (one document) and, in ``zalo_oa_leases``, one unique insert per refresh token
    spent, so only one notifier spends it (an expired lease, of a notifier that stopped, may be
    taken over)."""

    PAIR_ID = "oa"

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.pairs = db["zalo_oa_token"]
        self.leases = db["zalo_oa_leases"]

    async def seed_zalo_pair(self, digest: str, refresh_token: str) -> None:
        """Start the chain from ``refresh_token`` unless it was started from the same one."""
        fresh = {"seed_digest": digest, "access_token": "", "refresh_token": refresh_token,
                 "expires_at": None, "updated_at": datetime.now(UTC)}
        current = await self.pairs.find_one({"_id": self.PAIR_ID})
        if current is None:
            with contextlib.suppress(DuplicateKeyError):  # another replica seeded it just now
                await self.pairs.insert_one({"_id": self.PAIR_ID, **fresh})
        elif current.get("seed_digest") != digest:
            await self.pairs.update_one(
                {"_id": self.PAIR_ID, "seed_digest": current.get("seed_digest")}, {"$set": fresh})
            log.info("zalo token chain restarted from a newly configured refresh token")

    async def zalo_pair(self) -> StoredPair | None:
        """The current pair."""
        doc = await self.pairs.find_one({"_id": self.PAIR_ID})
        if doc is None:
            return None
        expires = doc.get("expires_at")
        if isinstance(expires, datetime) and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return StoredPair(doc.get("access_token") or "", doc["refresh_token"], expires)

    async def lease_zalo_refresh(self, refresh_token: str, owner: str, now: datetime,
                                 until: datetime) -> bool:
        """The right to spend ``refresh_token`` (a unique insert, keyed by its digest)."""
        current = await self.zalo_pair()
        if current is None or current.refresh_token != refresh_token:
            return False
        lease_id = token_digest(refresh_token)
        await self.leases.delete_one({"_id": lease_id, "until": {"$lte": now}})
        try:
            await self.leases.insert_one({"_id": lease_id, "owner": owner, "until": until})
        except DuplicateKeyError:
            return False
        return True

    async def save_zalo_pair(self, spent_refresh_token: str, pair: TokenPair) -> None:
        """Store ``pair`` in place of the one whose refresh token was just spent."""
        await self.pairs.update_one(
            {"_id": self.PAIR_ID, "refresh_token": spent_refresh_token},
            {"$set": {"access_token": pair.access_token, "refresh_token": pair.refresh_token,
                      "expires_at": pair.expires_at, "updated_at": datetime.now(UTC)}})
