"""The tracker's repository and overdue scanner against real FerretDB (and Kafka for the scanner)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from services.tracker.repository import TrackerRepository, WriteBatch
from services.tracker.scanner import OverdueScanner
from shared.clock import FixedClock
from shared.events import AssignmentRole, DispatchAssigned, DispatchReceived, UnitAssignment
from shared.kafka import ensure_topics
from shared.settings import TrackerSettings

pytestmark = pytest.mark.infra
DUE = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
async def repo(infra: Any) -> AsyncIterator[TrackerRepository]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    repository = TrackerRepository(client[f"test_{uuid.uuid4().hex[:12]}"])
    await repository.create_indexes()
    yield repository
    await client.close()


def _events(dispatch_id: str, units: tuple[str, ...]) -> tuple[DispatchReceived, DispatchAssigned]:
    received = DispatchReceived(dispatch_id=dispatch_id, correlation_id=dispatch_id,
                                source_system="demo", subject="V/v tổng kết")
    assigned = DispatchAssigned(
        dispatch_id=dispatch_id, correlation_id=dispatch_id, subject="V/v tổng kết",
        rule_id="r1", reason="test",
        assignments=[UnitAssignment(unit_code=u, role=AssignmentRole.LEAD, due_at=DUE) for u in units],
    )
    return received, assigned


async def test_redelivered_events_change_nothing(repo: TrackerRepository) -> None:
    received, assigned = _events("d-1", ("VP", "QLTM"))
    for delivery in range(3):
        batch = WriteBatch()
        repo.add_received(batch, received)
        repo.add_assigned(batch, assigned)
        duplicates = await repo.apply(batch)
        assert duplicates == (0 if delivery == 0 else 2)
    view = await repo.dispatch_view("d-1")
    assert view is not None
    assert sorted(a["unit_code"] for a in view["assignments"]) == ["QLTM", "VP"]
    assert len(view["timeline"]) == 2
    assert all(a["due_at"] == DUE and a["next_check_at"] == DUE for a in view["assignments"])


async def test_two_replicas_fire_each_overdue_level_exactly_once(
    repo: TrackerRepository, infra: Any
) -> None:
    dispatch_id = f"d-{uuid.uuid4().hex[:8]}"
    batch = WriteBatch()
    repo.add_assigned(batch, _events(dispatch_id, ("VP", "TTRA", "QLNL"))[1])
    await repo.apply(batch)
    settings = TrackerSettings(kafka_bootstrap_servers=infra.kafka_bootstrap)
    await ensure_topics(settings)
    clock = FixedClock(DUE - timedelta(minutes=1))
    brokers = [KafkaBroker(infra.kafka_bootstrap) for _ in range(2)]
    replicas = [OverdueScanner(repo, b, clock, interval_s=1.0) for b in brokers]
    for broker in brokers:
        await broker.start()
    try:
        assert sum(await asyncio.gather(*(r.check_once() for r in replicas))) == 0
        clock.advance(timedelta(minutes=2))
        fired = await asyncio.gather(*(r.check_once() for r in replicas))
        assert sum(fired) == 3
        clock.advance(timedelta(days=1))
        assert sum(await asyncio.gather(*(r.check_once() for r in replicas))) == 0
    finally:
        for broker in brokers:
            await broker.stop()
    view = await repo.dispatch_view(dispatch_id)
    assert view is not None
    assert all(a["overdue_level"] == 1 for a in view["assignments"])
    overdue_entries = [t for t in view["timeline"] if t["event_type"] == "assignment.overdue"]
    assert sorted(t["unit_code"] for t in overdue_entries) == ["QLNL", "TTRA", "VP"]
