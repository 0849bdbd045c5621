"""The tracker's handlers and deadline detector against real FerretDB and Kafka."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from services.tracker.deadline_detector import DeadlineDetector
from services.tracker.handlers import TrackerHandlers
from services.tracker.ladder import Status
from services.tracker.records import SignalClaim
from services.tracker.repository import TrackerRepository
from services.tracker.settings import TrackerSettings
from services.tracker.timers import Ownership
from shared import topics
from shared.clock import FixedClock
from shared.events import (
    AssignmentNotAcknowledged,
    AssignmentRole,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    ReassignmentHop,
    ResponseAction,
    UnitAssignment,
    UnitResponded,
)
from shared.kafka import ensure_topics, key_hash
from shared.workdays import WorkCalendar
from tests.kafka_reader import read_topic

pytestmark = pytest.mark.infra
DUE = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
async def parts(infra: Any) -> AsyncIterator[tuple[TrackerRepository, list[KafkaBroker]]]:
    await ensure_topics(TrackerSettings(kafka_bootstrap_servers=infra.kafka_bootstrap))
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    repo = TrackerRepository(client[f"test_{uuid.uuid4().hex[:12]}"])
    await repo.create_indexes()
    brokers = [KafkaBroker(infra.kafka_bootstrap) for _ in range(2)]
    for broker in brokers:
        await broker.start()
    yield repo, brokers
    for broker in brokers:
        await broker.stop()
    await client.close()


def _assigned(dispatch_id: str, units: tuple[str, ...]) -> DispatchAssigned:
    return DispatchAssigned(
        dispatch_id=dispatch_id, correlation_id=dispatch_id, subject="V/v tổng kết", rule_id="r1",
        reason="test", assignments=[UnitAssignment(unit_code=u, role=AssignmentRole.LEAD,
                                                   due_at=DUE, ack_due_at=DUE - timedelta(days=5))
                                    for u in units])


def _response(dispatch_id: str, unit: str, action: ResponseAction, at: datetime) -> UnitResponded:
    return UnitResponded(dispatch_id=dispatch_id, correlation_id=dispatch_id, unit_code=unit,
                         action=action, responded_by=unit, occurred_at=at)


async def test_redelivered_events_change_nothing_and_illegal_moves_are_refused(
    parts: tuple[TrackerRepository, list[KafkaBroker]], infra: Any,
) -> None:
    repo, brokers = parts
    handlers = TrackerHandlers(repo, brokers[0], WorkCalendar())
    dispatch_id = f"d-{uuid.uuid4().hex[:8]}"
    received = DispatchReceived(dispatch_id=dispatch_id, correlation_id=dispatch_id,
                                source_system="demo", subject="V/v tổng kết")
    done = _response(dispatch_id, "VP", ResponseAction.COMPLETE, DUE - timedelta(days=1))
    again = _response(dispatch_id, "VP", ResponseAction.ACKNOWLEDGE, DUE)
    assigned = _assigned(dispatch_id, ("VP", "QLTM"))
    for _ in range(3):
        await handlers.on_received([received])
        await handlers.on_assigned([assigned])
        await handlers.on_responded([done, again])
    view = await repo.dispatch_view(dispatch_id)
    assert view is not None
    by_unit = {a["unit_code"]: a for a in view["assignments"]}
    assert by_unit["VP"]["status"] == "completed" and by_unit["VP"]["completed_on_time"] is True
    assert by_unit["QLTM"]["status"] == "received"
    assert len(view["timeline"]) == 4
    [refused] = [t for t in view["timeline"] if t.get("refused")]
    assert "already completed" in refused["refused"]
    mine: list[dict[str, Any]] = []
    for _ in range(10):  # the reader may see the new topic's partitions only after a while
        letters = await read_topic(infra.kafka_bootstrap, topics.DEAD_LETTER)
        if mine := [d for d in letters if d.get("key") == dispatch_id]:
            break
        await asyncio.sleep(0.5)
    assert len(mine) == 1


async def test_two_replicas_fire_each_signal_exactly_once(
    parts: tuple[TrackerRepository, list[KafkaBroker]],
) -> None:
    repo, brokers = parts
    calendar = WorkCalendar()
    dispatch_id = f"d-{uuid.uuid4().hex[:8]}"
    await TrackerHandlers(repo, brokers[0], calendar).on_assigned(
        [_assigned(dispatch_id, ("VP", "TTRA", "QLNL"))])
    await TrackerHandlers(repo, brokers[0], calendar).on_responded(
        [_response(dispatch_id, "QLNL", ResponseAction.COMPLETE, DUE - timedelta(days=9))])
    clock = FixedClock(DUE - timedelta(days=30))
    replicas = [DeadlineDetector(repo, b, clock, interval_s=1.0) for b in brokers]

    async def both() -> int:
        return sum(await asyncio.gather(*(r.check_once() for r in replicas)))

    assert await both() == 0
    clock.advance(timedelta(days=29))  # past the ack deadline and the reminder, before the deadline
    assert await both() == 4  # VP and TTRA: unacknowledged + approaching; QLNL is done
    clock.advance(timedelta(days=10))
    assert await both() == 6  # overdue levels 1, 2, 3 for VP and TTRA
    assert await both() == 0
    restarted = DeadlineDetector(repo, brokers[0], clock, interval_s=1.0)  # loads from the database
    assert await restarted.check_once() == 0 and len(restarted.timers) == 0
    claims = [c["_id"] async for c in repo.claims.find({"_id": {"$regex": f"^{dispatch_id}"}})]
    receipts = [r["_id"] async for r in repo.receipts.find({"_id": {"$regex": f"^{dispatch_id}"}})]
    assert len(claims) == 10 and sorted(receipts) == sorted(claims)


async def test_replicas_split_the_timers_by_partition_and_load_them_from_the_database(
    parts: tuple[TrackerRepository, list[KafkaBroker]],
) -> None:
    repo, brokers = parts
    handlers = TrackerHandlers(repo, brokers[0], WorkCalendar())
    dispatch_ids = [f"d-{uuid.uuid4().hex[:8]}" for _ in range(8)]
    for dispatch_id in dispatch_ids:
        await handlers.on_assigned([_assigned(dispatch_id, ("VP",))])
    clock = FixedClock(DUE + timedelta(hours=1))  # unacknowledged, approaching, overdue:1 due
    halves = [Ownership(2, frozenset({0})), Ownership(2, frozenset({1}))]
    replicas = [DeadlineDetector(repo, b, clock, 1.0, ownership=lambda o=o: o)  # type: ignore[misc]
                for b, o in zip(brokers, halves, strict=True)]
    counts = [await r.check_once() for r in replicas]
    mine = [sum(1 for d in dispatch_ids if key_hash(d) % 2 == p) for p in (0, 1)]
    assert counts == [3 * mine[0], 3 * mine[1]]  # each replica signals its own partition only
    assert [len(r.timers) for r in replicas] == mine  # overdue:2 and :3 are still ahead


async def test_a_signal_claimed_by_a_replica_that_died_is_published_after_the_lease(
    parts: tuple[TrackerRepository, list[KafkaBroker]], infra: Any,
) -> None:
    repo, brokers = parts
    dispatch_id = f"d-{uuid.uuid4().hex[:8]}"
    await TrackerHandlers(repo, brokers[0], WorkCalendar()).on_assigned(
        [_assigned(dispatch_id, ("VP",))])
    clock = FixedClock(DUE - timedelta(days=4))  # only the acknowledgement is overdue
    event = AssignmentNotAcknowledged(
        event_id=f"{dispatch_id}-orphan", dispatch_id=dispatch_id, correlation_id=dispatch_id,
        unit_code="VP", role=AssignmentRole.LEAD, due_at=DUE, detected_at=clock.now())
    claim = f"{dispatch_id}:VP:unacknowledged"  # claimed, then the replica was killed
    assert await repo.claim_signals([SignalClaim(claim, event.event_type, event.model_dump_json(),
                                                 datetime.now(UTC) - timedelta(minutes=5))]) == {claim}
    assert await DeadlineDetector(repo, brokers[1], clock, 1.0).check_once() == 1
    assert await repo.has_receipt(claim)
    sent = await read_topic(infra.kafka_bootstrap, topics.ASSIGNMENT_UNACKNOWLEDGED)
    assert [m["event_id"] for m in sent if m["dispatch_id"] == dispatch_id] == [event.event_id]


async def test_a_closed_assignment_given_back_is_reopened_and_escalates_anew(
    parts: tuple[TrackerRepository, list[KafkaBroker]],
) -> None:
    repo, brokers = parts
    calendar = WorkCalendar()
    clock = FixedClock(DUE + timedelta(days=1))
    detector = DeadlineDetector(repo, brokers[0], clock, interval_s=1.0)
    handlers = TrackerHandlers(repo, brokers[0], calendar, watch=detector.watch)
    dispatch_id = f"d-{uuid.uuid4().hex[:8]}"
    await handlers.on_assigned([_assigned(dispatch_id, ("VP", "QLTM"))])
    assert await detector.check_once() == 6  # VP, QLTM: unacknowledged + approaching + overdue:1
    await handlers.on_responded([
        _response(dispatch_id, "VP", ResponseAction.COMPLETE, DUE + timedelta(hours=1)),
        _response(dispatch_id, "QLTM", ResponseAction.DECLINE, DUE + timedelta(hours=2))])
    back = DispatchReassigned(
        dispatch_id=dispatch_id, correlation_id=dispatch_id, from_unit="QLTM", reason="triage",
        assignment=UnitAssignment(unit_code="VP", role=AssignmentRole.LEAD,
                                  due_at=DUE + timedelta(days=3)),
        chain=[ReassignmentHop(from_unit="QLTM", to_unit="VP", action="decline", at=DUE)])
    await handlers.on_reassigned([back, back])
    vp = await repo.assignment(f"{dispatch_id}:VP")
    assert vp is not None and vp.status is Status.RECEIVED and vp.round == 1
    clock.advance(timedelta(days=3, hours=-1))  # past the new deadline, before overdue:2
    assert await detector.check_once() == 2  # round 1: approaching + overdue:1 again, for VP only
    view = await repo.dispatch_view(dispatch_id)
    assert view is not None and sum(1 for t in view["timeline"] if t.get("reopened_round")) == 1


async def test_sessions_live_in_the_store_hashed_and_die_at_logout_or_expiry(
    parts: tuple[TrackerRepository, list[KafkaBroker]],
) -> None:
    from services.tracker.dashboard.sessions import Sessions, id_hash

    repo, _ = parts
    now = [datetime(2024, 2, 1, tzinfo=UTC)]
    sessions = Sessions(repo, ttl_s=3600, now=lambda: now[0])
    first, session = await sessions.create("director")
    second, _ = await sessions.create("director")
    stored = await repo.session(id_hash(first))
    assert stored is not None and first not in str(stored)
    assert await sessions.resolve(first) == session
    await sessions.revoke(first)
    assert await sessions.resolve(first) is None and await sessions.resolve(second) is not None
    now[0] += timedelta(hours=2)
    assert await sessions.resolve(second) is None and await repo.session(id_hash(second)) is None
