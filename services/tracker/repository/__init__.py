"""The tracker's MongoDB repository: the only package that touches its collections (and imports
pymongo). It takes planned writes (``services.tracker.writes``) and turns each collection's into one
bulk write; the reads that decide something return typed records (``services.tracker.records``);
what the API and the dashboard only show is read in ``views``. Its collections:

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
- ``timer_pages``: the checks each batch created or reopened, packed a hundred to a row, which a
  replica that takes over partitions loads instead of scanning ``deadline_checks`` (``timer_store``);
- ``dashboard_sessions``: one per signed-in browser, ``_id`` = SHA-256 of the session id (the id
  itself is only in the cookie), with its expiry and CSRF token; deleted at logout or when expired.

The detector reads ``timer_pages`` (or, before they are complete, ``deadline_checks``),
``check_closures`` and ``signal_receipts`` whole only when it takes over partitions (see
``services.tracker.takeover``); while running it reads by ``_id`` only.

FerretDB v1 applies an update as read-modify-write of the whole document, not atomically across
connections, so each collection has one writer, and "once" is decided by unique ``_id`` inserts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.tracker.records import (
    AcceptedResponse,
    AssignmentRecord,
    CheckRecord,
    SignalClaim,
    TimelineEntry,
)
from services.tracker.repository.timer_store import TimerPageStore
from services.tracker.repository.views import Doc, ShownQueries
from services.tracker.writes import NewDocument, Write, WriteBatch
from shared.blobs import BlobStore
from shared.mongo import bulk_write_idempotent

WriteOp = InsertOne[Doc] | UpdateOne


def _op(write: Write) -> WriteOp:
    """The bulk operation of one planned write."""
    if isinstance(write, NewDocument):
        return InsertOne({"_id": write.id, **write.fields})
    return UpdateOne({"_id": write.id}, {"$set": write.fields}, upsert=write.upsert)


IDS_PER_QUERY = 1000
"""Ids per ``$in`` query (FerretDB's pushdown takes up to 5,000; SQLite binds each as a variable)."""


def _closure_id(assignment_id: str, round_: int) -> str:
    """The ``check_closures`` id of one round of an assignment."""
    return f"{assignment_id}:r{round_}"


class TrackerRepository(ShownQueries, TimerPageStore):
    """Reads and writes the tracker's state; the reads that decide something return typed records
    (what the API and the dashboard only show is in :class:`ShownQueries`)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.dispatches = db["dispatches"]
        self.decisions = db["decisions"]
        self.assignments = db["assignments"]
        self.timeline = db["timeline"]
        self.checks = db["deadline_checks"]
        self.claims = db["signal_claims"]
        self.receipts = db["signal_receipts"]
        self.closures = db["check_closures"]
        self.files = BlobStore(db)  # ingest's stored originals (read-only here)
        self.accepted = db["accepted_responses"]
        self.sessions = db["dashboard_sessions"]
        self.pages = db["timer_pages"]

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.assignments.create_index([("dispatch_id", ASCENDING)])
        await self.assignments.create_index([("unit_code", ASCENDING), ("status", ASCENDING)])
        await self.timeline.create_index([("dispatch_id", ASCENDING), ("occurred_at", ASCENDING)])

    async def apply(self, batch: WriteBatch) -> int:
        """Apply a batch: one unordered bulk write per collection (chunks of ``BULK_CHUNK``), the
        collections at once. A batch of creations only needs no order: each insert whose ``_id``
        exists is refused (code 11000) and counted as already applied. A batch that also changes
        documents writes one collection after the other, its timeline last, since the timeline
        then marks what was applied.

        Returns how many timeline entries were already present (redeliveries).
        """
        state = [self._bulk(self.dispatches, [_op(w) for w in batch.dispatches]),
                 self._bulk(self.decisions, [_op(w) for w in batch.decisions]),
                 self._bulk(self.assignments, [_op(w) for w in batch.assignments]),
                 self._bulk(self.checks, [InsertOne(c.as_doc()) for c in batch.checks])]
        if batch.checks:  # their timer page, for a replica that takes over (timer_store)
            state.append(self._bulk(self.pages, [self.page_op(
                [t.event_id for t in batch.timeline] + [c.id for c in batch.checks],
                batch.checks)]))
        timeline = self._bulk(self.timeline, [InsertOne(t.as_doc()) for t in batch.timeline])
        if batch.creations_only:
            return (await asyncio.gather(*state, timeline))[-1]
        for write in state:  # one bulk update at a time: FerretDB v1 freezes under several
            await write
        return await timeline

    @staticmethod
    async def _bulk(collection: AsyncCollection[Doc], ops: list[WriteOp]) -> int:
        """Write ``ops`` unordered; return how many were refused as duplicates (none sent: 0)."""
        return len(await bulk_write_idempotent(collection, ops)) if ops else 0

    @staticmethod
    async def _by_ids(collection: AsyncCollection[Doc], ids: Iterable[str],
                      projection: Doc | None = None) -> dict[str, Doc]:
        """Documents by ``_id``: one ``$in`` query per :data:`IDS_PER_QUERY` ids (answered from
        the ``_id`` index: on FerretDB v1 with our patch, see ``tools.infra.ferretdb``)."""
        wanted = list(dict.fromkeys(ids))
        found = await asyncio.gather(*(
            collection.find({"_id": {"$in": wanted[lo:lo + IDS_PER_QUERY]}}, projection).to_list()
            for lo in range(0, len(wanted), IDS_PER_QUERY)))
        return {doc["_id"]: doc for docs in found for doc in docs}

    async def applied_event_ids(self, event_ids: list[str]) -> set[str]:
        """Which of ``event_ids`` the timeline already holds."""
        return set(await self._by_ids(self.timeline, event_ids, {"_id": 1}))

    # --- assignments and their checks (the event consumer is their only writer) ---

    async def assignment(self, assignment_id: str) -> AssignmentRecord | None:
        """One assignment."""
        doc = await self.assignments.find_one({"_id": assignment_id})
        return None if doc is None else AssignmentRecord.from_doc(doc)

    async def set_assignment(self, assignment_id: str, fields: Doc) -> None:
        """Set some fields of one assignment."""
        await self.assignments.update_one({"_id": assignment_id}, {"$set": fields})

    async def reschedule(self, check: CheckRecord) -> None:
        """Replace the schedule and round of one assignment's deadline check (when reopened)."""
        await self.add_page([f"reopen:{check.id}:r{check.round}"], [check])
        await self.checks.update_one({"_id": check.id}, {"$set": {"schedule": check.schedule,
                                                                  "round": check.round}})

    async def record(self, entry: TimelineEntry) -> None:
        """Append one timeline entry (once: its id is the event id)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.timeline.insert_one(entry.as_doc())

    async def close_check(self, assignment_id: str, round_: int) -> None:
        """Note that this round of the assignment is closed: a reload need not look at it."""
        with contextlib.suppress(DuplicateKeyError):
            await self.closures.insert_one({"_id": _closure_id(assignment_id, round_)})

    # --- deadline checks (the detector) ---

    async def load_checks(self, closed: set[str]) -> AsyncIterator[CheckRecord]:
        """Every open round's deadline check (``closed``: the closed rounds' ids), streamed (a scan:
        only when partitions are taken over and the timer pages are not complete yet)."""
        cursor = self.checks.find({}, {"dispatch_id": 1, "schedule": 1, "round": 1, "key_hash": 1},
                                  batch_size=5000)
        async for doc in cursor:
            check = CheckRecord.from_doc(doc)
            if _closure_id(check.id, check.round) not in closed:
                yield check

    async def receipt_ids(self) -> set[str]:
        """The ids of every signal known to have reached Kafka (a scan, as above)."""
        return {d["_id"] async for d in self.receipts.find({}, {"_id": 1})}

    async def checks_by_id(self, ids: Iterable[str]) -> dict[str, CheckRecord]:
        """Deadline checks by assignment id."""
        return {i: CheckRecord.from_doc(d) for i, d in (await self._by_ids(self.checks, ids)).items()}

    async def assignments_by_id(self, ids: Iterable[str]) -> dict[str, AssignmentRecord]:
        """Assignments by id."""
        found = await self._by_ids(self.assignments, ids)
        return {i: AssignmentRecord.from_doc(d) for i, d in found.items()}

    async def dispatches_by_id(self, ids: Iterable[str]) -> dict[str, Doc]:
        """Dispatch documents (what ingest received: subject, number, notation…) by id, without
        the body (only the dispatch's own page reads it, through ``dispatch_view``)."""
        return await self._by_ids(self.dispatches, ids, {"body": 0})

    async def decisions_by_id(self, ids: Iterable[str]) -> dict[str, Doc]:
        """Routing decisions (rule, reason, subject, broadcast) by dispatch id."""
        return await self._by_ids(self.decisions, ids)

    async def claim_signals(self, claims: list[SignalClaim]) -> set[str]:
        """Reserve the firing of signals with unordered bulk inserts; return the ids reserved by
        this call (the others were fired, or are being fired, already)."""
        taken = await bulk_write_idempotent(self.claims, [InsertOne(c.as_doc()) for c in claims])
        return {claims[n].id for n in set(range(len(claims))) - set(taken)}

    async def has_receipt(self, claim_id: str) -> bool:
        """Whether the claimed signal is known to have reached Kafka."""
        return await self.receipts.find_one({"_id": claim_id}, {"_id": 1}) is not None

    async def fired_signals(self, check: CheckRecord) -> list[str]:
        """The signals of this round of a check that reached Kafka (one ``_id`` lookup each)."""
        names = list(check.schedule)
        found = await asyncio.gather(*(self.has_receipt(check.claim_id(n)) for n in names))
        return [n for n, ok in zip(names, found, strict=True) if ok]

    async def claim(self, claim_id: str) -> SignalClaim | None:
        """One claim, with the event it reserved."""
        doc = await self.claims.find_one({"_id": claim_id})
        return None if doc is None else SignalClaim.from_doc(doc)

    async def add_receipts(self, claim_ids: list[str]) -> None:
        """The claimed signals reached Kafka (inserts; a repeat is ignored)."""
        await self._bulk(self.receipts, [InsertOne({"_id": i}) for i in claim_ids])

    # --- responses accepted by the API, and their outcome ---

    async def accept_response(self, response: AcceptedResponse) -> None:
        """Remember a response the API accepted (once per event id)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.accepted.insert_one(response.as_doc())

    async def accepted_response(self, event_id: str) -> AcceptedResponse | None:
        """A response the API accepted, or None."""
        doc = await self.accepted.find_one({"_id": event_id})
        return None if doc is None else AcceptedResponse.from_doc(doc)

    async def timeline_entry(self, event_id: str) -> TimelineEntry | None:
        """The timeline entry of one applied (or refused) event, or None (an ``_id`` lookup)."""
        doc = await self.timeline.find_one({"_id": event_id})
        return None if doc is None else TimelineEntry.from_doc(doc)
