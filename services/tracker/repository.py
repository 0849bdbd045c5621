"""The tracker's MongoDB repository: the only module that touches its collections.

Collections: ``dispatches`` (one per dispatch), ``assignments`` (one per dispatch and unit, ``_id`` =
``<dispatch_id>:<unit_code>``), and ``timeline`` (append-only, ``_id`` = the event's ``event_id``, so
an event is recorded once however often it is delivered). Writes are batched, unordered bulk writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.events import DispatchAssigned, DispatchReceived, EventMeta
from shared.mongo import raise_unless_only_duplicates

Doc = dict[str, Any]
WriteOp = InsertOne[Doc] | UpdateOne


@dataclass
class WriteBatch:
    """Writes gathered from a batch of events, one list per collection."""

    dispatches: list[WriteOp] = field(default_factory=list)
    assignments: list[WriteOp] = field(default_factory=list)
    timeline: list[WriteOp] = field(default_factory=list)


class TrackerRepository:
    """Reads and writes the tracker's state."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.dispatches = db["dispatches"]
        self.assignments = db["assignments"]
        self.timeline = db["timeline"]
        self.claims = db["overdue_claims"]

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.assignments.create_index([("next_check_at", ASCENDING)])
        await self.assignments.create_index([("dispatch_id", ASCENDING)])
        await self.timeline.create_index([("dispatch_id", ASCENDING), ("occurred_at", ASCENDING)])
        await self.claims.create_index([("assignment_id", ASCENDING), ("level", ASCENDING)])

    @staticmethod
    def _timeline_entry(event: EventMeta, dispatch_id: str, summary: Doc) -> InsertOne[Doc]:
        return InsertOne({
            "_id": event.event_id, "dispatch_id": dispatch_id,
            "event_type": getattr(event, "event_type", type(event).__name__),
            "occurred_at": event.occurred_at, "correlation_id": event.correlation_id, **summary,
        })

    def add_received(self, batch: WriteBatch, event: DispatchReceived) -> None:
        """Record a received dispatch (its body is not stored here)."""
        fields = event.model_dump(
            exclude={"event_id", "occurred_at", "schema_version", "event_type", "body"}
        )
        fields["issued_on"] = event.issued_on.isoformat() if event.issued_on else None
        fields["received_at"] = event.occurred_at
        batch.dispatches.append(UpdateOne({"_id": event.dispatch_id}, {"$set": fields}, upsert=True))
        batch.timeline.append(self._timeline_entry(event, event.dispatch_id, {}))

    def add_assigned(self, batch: WriteBatch, event: DispatchAssigned) -> None:
        """Record a routing decision: one assignment per unit, created once."""
        batch.dispatches.append(UpdateOne(
            {"_id": event.dispatch_id},
            {"$set": {"rule_id": event.rule_id, "reason": event.reason}},
            upsert=True,
        ))
        for a in event.assignments:
            batch.assignments.append(UpdateOne(
                {"_id": f"{event.dispatch_id}:{a.unit_code}"},
                {"$setOnInsert": {
                    "dispatch_id": event.dispatch_id, "unit_code": a.unit_code,
                    "role": a.role.value, "due_at": a.due_at, "status": "received",
                    "overdue_level": 0, "next_check_at": a.due_at,
                    "assigned_at": event.occurred_at,
                }},
                upsert=True,
            ))
        summary = {"units": [a.unit_code for a in event.assignments], "rule_id": event.rule_id}
        batch.timeline.append(self._timeline_entry(event, event.dispatch_id, summary))

    async def apply(self, batch: WriteBatch) -> int:
        """Apply a batch: state first (idempotent upserts), then the timeline.

        Returns how many timeline entries were already present (redeliveries).
        """
        await self._bulk(self.dispatches, batch.dispatches)
        await self._bulk(self.assignments, batch.assignments)
        return await self._bulk(self.timeline, batch.timeline)

    @staticmethod
    async def _bulk(collection: Any, ops: list[WriteOp]) -> int:
        if not ops:
            return 0
        try:
            await collection.bulk_write(ops, ordered=False)
        except BulkWriteError as exc:
            return raise_unless_only_duplicates(exc)
        return 0

    async def due_for_check(self, now: datetime, limit: int) -> list[Doc]:
        """Assignments whose next check time has passed, oldest first (uses the index)."""
        cursor = self.assignments.find({"next_check_at": {"$lte": now}})
        return [doc async for doc in cursor.sort("next_check_at", ASCENDING).limit(limit)]

    async def claim_check(self, assignment_id: str, level: int, now: datetime,
                          lease: timedelta) -> bool:
        """Reserve the firing of ``level`` for this replica; False if another replica holds it.

        The claim is a unique insert, not a conditional update: FerretDB v1 does not apply
        ``update_one(filter)`` as an atomic compare-and-set across connections (two replicas both
        matched it in our integration test), but a duplicate ``_id`` is always refused. Claims are
        per lease window, so a replica that died after claiming is taken over in a later window.
        """
        recent = await self.claims.find_one(
            {"assignment_id": assignment_id, "level": level, "claimed_at": {"$gt": now - lease}}
        )
        if recent is not None:
            return False
        window = int(now.timestamp() // lease.total_seconds())
        try:
            await self.claims.insert_one({
                "_id": f"{assignment_id}:L{level}:{window}", "assignment_id": assignment_id,
                "level": level, "claimed_at": now,
            })
        except DuplicateKeyError:
            return False
        return True

    async def record_overdue(self, assignment_id: str, level: int,
                             next_check_at: datetime | None, timeline: InsertOne[Doc]) -> None:
        """Mark ``level`` as fired and schedule the next check."""
        await self.assignments.update_one(
            {"_id": assignment_id},
            {"$set": {"overdue_level": level, "next_check_at": next_check_at}},
        )
        await self._bulk(self.timeline, [timeline])

    async def dispatch_view(self, dispatch_id: str) -> Doc | None:
        """A dispatch with its assignments and timeline, or None."""
        dispatch = await self.dispatches.find_one({"_id": dispatch_id})
        if dispatch is None:
            return None
        assignments = [a async for a in self.assignments.find({"dispatch_id": dispatch_id})]
        timeline = [
            t async for t in self.timeline.find({"dispatch_id": dispatch_id}).sort("occurred_at", 1)
        ]
        return {"dispatch": dispatch, "assignments": assignments, "timeline": timeline}

