"""The tracker's MongoDB repository: the only module that touches its collections.

- ``dispatches``: one per dispatch; ``assignments``: one per dispatch and unit (``_id`` =
  ``<dispatch_id>:<unit_code>``), written only by the event consumer;
- ``timeline``: append-only, ``_id`` = the applied event's ``event_id``, so an event is recorded once
  however often it is delivered;
- ``deadline_checks``: per assignment, the instants of its signals (its schedule and round), written
  only by the event consumer (on creation, and when a closed assignment is reopened);
- ``check_closures``: one per closed (assignment, round), so a reload skips what is finished;
- ``signal_claims``: one per fired signal, a unique insert, so a signal fires once across replicas;
- ``signal_receipts``: one per claimed signal that reached Kafka (an insert, never an update);
- ``accepted_responses``: one per unit response the API accepted (``_id`` = its event id), written
  only by the API, so ``GET …/responses/{event_id}`` can tell "pending" from "unknown";
- ``dashboard_sessions``: one per signed-in browser, ``_id`` = SHA-256 of the session id (the id
  itself is only in the cookie), with its expiry and CSRF token; deleted at logout or when expired.

The detector reads ``deadline_checks``, ``check_closures`` and ``signal_receipts`` whole only when it
takes over partitions (see ``services.tracker.timers``); while running it reads by ``_id`` only.

FerretDB v1 applies an update as read-modify-write of the whole document, not atomically across
connections, so each collection has one writer, and "once" is decided by unique ``_id`` inserts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.tracker.signals import claim_id
from shared.mongo import bulk_write_idempotent

Doc = dict[str, Any]
WriteOp = InsertOne[Doc] | UpdateOne


@dataclass
class WriteBatch:
    """Writes gathered from a batch of events, one list per collection."""

    dispatches: list[WriteOp] = field(default_factory=list)
    decisions: list[WriteOp] = field(default_factory=list)
    assignments: list[WriteOp] = field(default_factory=list)
    checks: list[WriteOp] = field(default_factory=list)
    timeline: list[WriteOp] = field(default_factory=list)
    watch: list[Doc] = field(default_factory=list)
    """Deadline checks created by the batch, for the detector's timers once it is applied."""


def _closure_id(assignment_id: str, round_: int) -> str:
    """The ``check_closures`` id of one round of an assignment."""
    return f"{assignment_id}:r{round_}"


class TrackerRepository:
    """Reads and writes the tracker's state."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.dispatches = db["dispatches"]
        self.decisions = db["decisions"]
        self.assignments = db["assignments"]
        self.timeline = db["timeline"]
        self.checks = db["deadline_checks"]
        self.claims = db["signal_claims"]
        self.receipts = db["signal_receipts"]
        self.closures = db["check_closures"]
        self.accepted = db["accepted_responses"]
        self.sessions = db["dashboard_sessions"]

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.assignments.create_index([("dispatch_id", ASCENDING)])
        await self.assignments.create_index([("unit_code", ASCENDING), ("status", ASCENDING)])
        await self.timeline.create_index([("dispatch_id", ASCENDING), ("occurred_at", ASCENDING)])

    async def apply(self, batch: WriteBatch) -> int:
        """Apply a batch (state first, idempotent upserts; timeline last).

        Returns how many timeline entries were already present (redeliveries).
        """
        await self._bulk(self.dispatches, batch.dispatches)
        await self._bulk(self.decisions, batch.decisions)
        await self._bulk(self.assignments, batch.assignments)
        await self._bulk(self.checks, batch.checks)
        return await self._bulk(self.timeline, batch.timeline)

    @staticmethod
    async def _bulk(collection: Any, ops: list[WriteOp]) -> int:
        return len(await bulk_write_idempotent(collection, ops))

    async def applied_event_ids(self, event_ids: list[str]) -> set[str]:
        """Which of ``event_ids`` the timeline already holds (one ``_id`` lookup each: FerretDB v1
        answers ``_id`` equality from its index, but scans the collection for ``$in``)."""
        found = await asyncio.gather(*(self.timeline.find_one({"_id": i}, {"_id": 1})
                                       for i in event_ids))
        return {doc["_id"] for doc in found if doc is not None}

    async def assignment(self, assignment_id: str) -> Doc | None:
        """One assignment."""
        return await self.assignments.find_one({"_id": assignment_id})

    async def set_assignment(self, assignment_id: str, fields: Doc) -> None:
        """Update one assignment (the consumer is its only writer)."""
        await self.assignments.update_one({"_id": assignment_id}, {"$set": fields})

    async def set_check(self, check_id: str, fields: Doc) -> None:
        """Replace the schedule of one assignment's deadline check (when it is reopened)."""
        await self.checks.update_one({"_id": check_id}, {"$set": fields})

    async def record(self, entry: Doc) -> None:
        """Append one timeline entry (once: its ``_id`` is the event id)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.timeline.insert_one(entry)

    async def close_check(self, assignment_id: str, round_: int) -> None:
        """Note that this round of the assignment is closed: a reload need not look at it."""
        with contextlib.suppress(DuplicateKeyError):
            await self.closures.insert_one({"_id": _closure_id(assignment_id, round_)})

    # --- deadline checks (the detector) ---

    async def load_checks(self) -> AsyncIterator[Doc]:
        """Every open round's deadline check, streamed (a scan: only when partitions are taken
        over)."""
        closed = {d["_id"] async for d in self.closures.find({}, {"_id": 1})}
        cursor = self.checks.find({}, {"dispatch_id": 1, "schedule": 1, "round": 1, "key_hash": 1},
                                  batch_size=5000)
        async for check in cursor:
            if _closure_id(check["_id"], int(check.get("round", 0))) not in closed:
                yield check

    async def receipt_ids(self) -> set[str]:
        """The ids of every signal known to have reached Kafka (a scan, as above)."""
        return {d["_id"] async for d in self.receipts.find({}, {"_id": 1})}

    async def by_ids(self, collection: str, ids: list[str]) -> dict[str, Doc]:
        """Documents of ``collection`` by ``_id`` (one indexed lookup each, see above)."""
        found = await asyncio.gather(*(getattr(self, collection).find_one({"_id": i})
                                       for i in dict.fromkeys(ids)))
        return {doc["_id"]: doc for doc in found if doc is not None}

    async def claim_signals(self, claims: list[tuple[str, str, str]],
                            claimed_at: datetime) -> set[str]:
        """Reserve the firing of signals, given as (claim id, event type, event JSON), with
        unordered bulk inserts; return the ids reserved by this call (the others were fired, or are
        being fired, already)."""
        taken = await bulk_write_idempotent(self.claims, [
            InsertOne({"_id": i, "event_type": t, "event": e, "claimed_at": claimed_at})
            for i, t, e in claims])
        return {claims[n][0] for n in set(range(len(claims))) - set(taken)}

    async def has_receipt(self, claim_id: str) -> bool:
        """Whether the claimed signal is known to have reached Kafka."""
        return await self.receipts.find_one({"_id": claim_id}, {"_id": 1}) is not None

    async def fired_signals(self, check: Doc) -> list[str]:
        """The signals of this round of a check that reached Kafka (one ``_id`` lookup each)."""
        names = list(check.get("schedule") or {})
        found = await asyncio.gather(*(self.has_receipt(claim_id(check, n)) for n in names))
        return [n for n, ok in zip(names, found, strict=True) if ok]

    async def claim(self, claim_id: str) -> Doc | None:
        """One claim, with the event it reserved."""
        return await self.claims.find_one({"_id": claim_id})

    async def add_receipts(self, claim_ids: list[str]) -> None:
        """The claimed signals reached Kafka (inserts; a repeat is ignored)."""
        await self._bulk(self.receipts, [InsertOne({"_id": i}) for i in claim_ids])

    # --- responses accepted by the API, and their outcome ---

    async def accept_response(self, entry: Doc) -> None:
        """Remember a response the API accepted (``_id`` = its event id)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.accepted.insert_one(entry)

    async def accepted_response(self, event_id: str) -> Doc | None:
        """A response the API accepted, or None."""
        return await self.accepted.find_one({"_id": event_id})

    async def timeline_entry(self, event_id: str) -> Doc | None:
        """The timeline entry of one applied (or refused) event, or None (an ``_id`` lookup)."""
        return await self.timeline.find_one({"_id": event_id})

    # --- dashboard sessions (only hashes of their ids are stored) ---

    async def create_session(self, session: Doc) -> None:
        """Store a new session (``_id`` = hash of its id)."""
        await self.sessions.insert_one(session)

    async def session(self, id_hash: str) -> Doc | None:
        """The session stored under this hash of its id, or None."""
        return await self.sessions.find_one({"_id": id_hash})

    async def delete_session(self, id_hash: str) -> None:
        """Revoke a session (logout, or found expired)."""
        await self.sessions.delete_one({"_id": id_hash})

    async def delete_expired_sessions(self, now: datetime) -> None:
        """Forget sessions past their expiry (a scan: only at sign-in)."""
        await self.sessions.delete_many({"expires_at": {"$lte": now}})

    # --- queries ---

    async def dispatch_view(self, dispatch_id: str) -> Doc | None:
        """A dispatch with its assignments and timeline, or None."""
        dispatch = await self.dispatches.find_one({"_id": dispatch_id})
        decision = await self.decisions.find_one({"_id": dispatch_id})
        if dispatch is None and decision is None:
            return None
        dispatch = {**(decision or {}), **(dispatch or {"_id": dispatch_id})}
        assignments = [a async for a in self.assignments.find({"dispatch_id": dispatch_id})]
        timeline = [
            t async for t in self.timeline.find({"dispatch_id": dispatch_id}).sort("occurred_at", 1)
        ]
        return {"dispatch": dispatch, "assignments": assignments, "timeline": timeline}

    async def assignments_where(self, query: Doc, limit: int = 5000) -> list[Doc]:
        """Assignments matching a simple query."""
        return [a async for a in self.assignments.find(query).limit(limit)]

    async def disputed_count(self) -> int:
        """Dispatches marked disputed."""
        return await self.dispatches.count_documents({"disputed": True})

    async def checks_of(self, dispatch_id: str) -> list[Doc]:
        """The deadline checks of one dispatch's assignments."""
        return [c async for c in self.checks.find({"dispatch_id": dispatch_id},
                                                  {"unit_code": 1, "schedule": 1, "round": 1})]

    async def timeline_where(self, query: Doc, limit: int = 5000) -> list[Doc]:
        """Timeline entries matching a simple query, newest first (a scan in FerretDB v1)."""
        return [t async for t in self.timeline.find(query).sort("occurred_at", -1).limit(limit)]
