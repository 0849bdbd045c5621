"""The tracker's hot path on real FerretDB: unordered bulk inserts refuse duplicates one by one
(code 11000) and write the rest, so a batch needs no read before it is written."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient, InsertOne
from pymongo.errors import BulkWriteError

from services.tracker import recording
from services.tracker.handlers import TrackerHandlers
from services.tracker.records import CheckRecord
from services.tracker.repository import TrackerRepository
from services.tracker.takeover import load_timers
from services.tracker.timers import EVERYTHING, DeadlineTimers, Ownership
from services.tracker.writes import WriteBatch
from shared.events import AssignmentRole, DispatchAssigned, DispatchReceived, UnitAssignment
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.infra
DUE = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
async def repo(infra: Any) -> AsyncIterator[TrackerRepository]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    repo = TrackerRepository(client[f"test_{uuid.uuid4().hex[:12]}"])
    await repo.create_indexes()
    yield repo
    await client.close()


async def test_ferretdb_refuses_each_duplicate_of_an_unordered_bulk_and_writes_the_rest(
    repo: TrackerRepository,
) -> None:
    await repo.timeline.insert_many([{"_id": "a", "v": 1}, {"_id": "b", "v": 1}])
    with pytest.raises(BulkWriteError) as refused:
        await repo.timeline.bulk_write([InsertOne({"_id": "a", "v": 2}), InsertOne({"_id": "c"}),
                                        InsertOne({"_id": "b", "v": 2})], ordered=False)
    errors = refused.value.details["writeErrors"]
    assert [(e["index"], e["code"]) for e in errors] == [(0, 11000), (2, 11000)]
    assert refused.value.details["nInserted"] == 1
    stored = {d["_id"]: d.get("v") async for d in repo.timeline.find({})}
    assert stored == {"a": 1, "b": 1, "c": None}


def _pair(n: int) -> tuple[DispatchReceived, DispatchAssigned]:
    did = f"d-{n}-{uuid.uuid4().hex[:6]}"
    return (DispatchReceived(dispatch_id=did, correlation_id=did, source_system="demo",
                             subject=f"V/v số {n}"),
            DispatchAssigned(dispatch_id=did, correlation_id=did, subject=f"V/v số {n}",
                             rule_id="r1", reason="test",
                             assignments=[UnitAssignment(unit_code="VP", role=AssignmentRole.LEAD,
                                                         due_at=DUE)]))


async def test_a_redelivered_batch_larger_than_a_chunk_mixed_with_new_events_is_applied_once(
    repo: TrackerRepository,
) -> None:
    watched: list[CheckRecord] = []
    handlers = TrackerHandlers(repo, None, WorkCalendar(), watch=watched.append)  # type: ignore[arg-type]
    first = [_pair(n) for n in range(70)]  # more than one bulk chunk (50)
    await handlers.on_received([r for r, _ in first])
    await handlers.on_assigned([a for _, a in first])
    opened = first[0][1].dispatch_id + ":VP"
    await repo.set_assignment(opened, {"status": "acknowledged"})  # a response came since

    more = [*first, *(_pair(n) for n in range(70, 80))]
    await handlers.on_received([r for r, _ in more])
    await handlers.on_assigned([a for _, a in more])
    assert await repo.dispatches.count_documents({}) == 80
    assert await repo.assignments.count_documents({}) == 80
    assert await repo.checks.count_documents({}) == 80
    assert await repo.timeline.count_documents({}) == 160
    assert (await repo.assignment(opened)).status.value == "acknowledged"  # type: ignore[union-attr]
    assert len(watched) == 70 + 80 and len({c.id for c in watched}) == 80
    redelivered = await repo.apply(_batch_of(more[:5]))
    assert redelivered == 5


def _batch_of(pairs: list[tuple[DispatchReceived, DispatchAssigned]]) -> WriteBatch:
    batch = WriteBatch()
    for received, _ in pairs:
        recording.add_received(batch, received)
    return batch


async def _timers(repo: TrackerRepository, own: Ownership) -> list[tuple[str, float, int]]:
    timers = DeadlineTimers()
    await load_timers(repo, timers, own)
    return sorted(timers.pop_due(float("inf"), 10**6))


async def test_a_takeover_loads_from_timer_pages_the_timers_a_scan_of_the_checks_gives(
    repo: TrackerRepository,
) -> None:
    handlers = TrackerHandlers(repo, None, WorkCalendar())  # type: ignore[arg-type]
    pairs = [_pair(n) for n in range(30)]
    await handlers.on_assigned([a for _, a in pairs])  # checks and their page
    older = CheckRecord(id="old:VP", dispatch_id="old", schedule={"overdue:1": DUE})
    await repo.checks.insert_one(older.as_doc())  # written before pages existed
    closed, fired, reopened = (f"{a.dispatch_id}:VP" for _, a in pairs[:3])
    await repo.close_check(closed, 0)
    await repo.add_receipts([f"{fired}:approaching"])
    await repo.close_check(reopened, 0)
    await repo.reschedule(CheckRecord(id=reopened, dispatch_id=reopened.split(":")[0], round=1,
                                      schedule={"overdue:1": DUE + timedelta(days=9)}))
    assert not await repo.pages_complete()
    halves = [Ownership(2, frozenset({p})) for p in (0, 1)]
    scanned = [await _timers(repo, own) for own in halves]

    assert await repo.copy_checks_to_pages() == 31
    assert await repo.pages_complete()
    paged = [await _timers(repo, own) for own in halves]
    assert paged == scanned
    everything = {i: when for half in paged for i, when, _ in half}
    assert closed not in everything and "old:VP" in everything and len(everything) == 30
    assert everything[reopened] == (DUE + timedelta(days=9)).timestamp()
    assert everything[fired] == DUE.timestamp()  # approaching was receipted: the deadline is next
    assert await repo.pages.count_documents({}) < 10  # pages, not a row per check


async def test_small_timer_pages_are_folded_into_one_without_closed_rounds(
    repo: TrackerRepository,
) -> None:
    handlers = TrackerHandlers(repo, None, WorkCalendar())  # type: ignore[arg-type]
    pairs = [_pair(n) for n in range(6)]
    for _, assigned in pairs:  # a quiet hour: one dispatch per batch, one page each
        await handlers.on_assigned([assigned])
    await repo.copy_checks_to_pages()  # the 6 checks again, in one page, and the marker
    closed = f"{pairs[0][1].dispatch_id}:VP"
    await repo.close_check(closed, 0)
    before = await _timers(repo, EVERYTHING)
    assert await repo.pages.count_documents({"n": 1}) == 6

    assert await repo.compact_pages(await repo.closed_rounds()) == 7
    assert await repo.compact_pages(await repo.closed_rounds()) == 0  # one page left: nothing to do
    assert await repo.pages.count_documents({}) == 2  # the folded page and the marker
    assert await _timers(repo, EVERYTHING) == before  # the closed round was not loaded anyway
    paged = [c.id async for c in repo.paged_checks()]
    assert closed not in paged and len(paged) == len(set(paged)) == 5  # each open check once
