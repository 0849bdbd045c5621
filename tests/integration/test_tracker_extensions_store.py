"""Extensions on real FerretDB: a request is stored and listed, its approval moves the deadline into
a new round, and a replica taking over loads only that round's timer (from the timer pages and from
the checks), so nothing fires at the old deadline."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from services.tracker.deadline_detector import DeadlineDetector
from services.tracker.extensions import RequestStatus
from services.tracker.extensions_handlers import ExtensionHandlers
from services.tracker.handlers import TrackerHandlers
from services.tracker.records import CheckRecord
from services.tracker.repository import TrackerRepository
from services.tracker.repository.extensions import ExtensionRepository
from services.tracker.takeover import load_timers
from services.tracker.timers import EVERYTHING, DeadlineTimers
from shared import topics
from shared.clock import FixedClock
from shared.events import AssignmentRole, DispatchAssigned, UnitAssignment
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import RecordingBroker

pytestmark = pytest.mark.infra
ASSIGNED = datetime(2024, 2, 12, 2, tzinfo=UTC)
OLD = datetime(2024, 2, 16, 10, tzinfo=UTC)
NEW = datetime(2024, 2, 21, 10, tzinfo=UTC)
ASKED = datetime(2024, 2, 13, 2, tzinfo=UTC)


async def test_an_approved_extension_is_stored_and_a_takeover_loads_only_the_new_round(
        infra: Any) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra.mongodb_url, tz_aware=True)
    try:
        db = client[f"test_{uuid.uuid4().hex[:12]}"]
        repo, requests, broker = TrackerRepository(db), ExtensionRepository(db), RecordingBroker()
        await repo.create_indexes()
        await requests.create_indexes()
        await TrackerHandlers(repo, broker, WorkCalendar()).on_assigned([  # type: ignore[arg-type]
            DispatchAssigned(correlation_id="d1", dispatch_id="d1", subject="Báo cáo",
                             occurred_at=ASSIGNED, rule_id="r", reason="lĩnh vực", assignments=[
                                 UnitAssignment(unit_code="QLTM", role=AssignmentRole.LEAD,
                                                due_at=OLD)])])
        await repo.copy_checks_to_pages()  # the pages are complete: a takeover reads them
        watched: list[CheckRecord] = []
        handlers = ExtensionHandlers(repo, requests, broker, WorkCalendar(), 1, 1,  # type: ignore[arg-type]
                                     watch=watched.append)
        asked = ExtensionRequested(correlation_id="d1", dispatch_id="d1", unit_code="QLTM",
                                   request_id="x", occurred_at=ASKED, current_due_at=OLD,
                                   new_due_at=NEW, reason="Chờ số liệu", requested_by="nva")
        await handlers.on_requested([asked])
        await handlers.on_requested([asked])  # redelivered: stored once
        [pending] = await requests.listed(status=RequestStatus.PENDING)
        assert (pending.id, pending.new_due_at, pending.reason) == (asked.event_id, NEW,
                                                                     "Chờ số liệu")
        assert (await requests.so_far("d1:QLTM")).pending == asked.event_id

        await handlers.on_decided([ExtensionDecided(
            correlation_id="d1", dispatch_id="d1", unit_code="QLTM", request_id=asked.event_id,
            approved=True, occurred_at=ASKED + timedelta(hours=2), current_due_at=OLD,
            new_due_at=NEW, decided_by="director", note="Đồng ý")])
        assignment = await repo.assignment("d1:QLTM")
        assert assignment is not None and (assignment.due_at, assignment.round) == (NEW, 1)
        so_far = await requests.so_far("d1:QLTM")
        assert (so_far.extended, so_far.pending, so_far.original_due_at) == (1, None, OLD)
        decided = await requests.request(asked.event_id)
        assert decided is not None and decided.status is RequestStatus.APPROVED
        assert await requests.listed(status=RequestStatus.PENDING) == []
        assert [r.id for r in await requests.listed(unit_code="QLTM")] == [asked.event_id]

        [new_round] = watched
        timers = DeadlineTimers()
        assert await load_timers(repo, timers, EVERYTHING) == 1  # the old round is closed
        assert timers.next_at() == min(new_round.schedule.values()).timestamp() > OLD.timestamp()
        scanned = [c async for c in repo.load_checks(await repo.closed_rounds())]
        assert [(c.round, c.schedule["overdue:1"]) for c in scanned] == [(1, NEW)]

        clock = FixedClock(OLD + timedelta(minutes=1))
        detector = DeadlineDetector(repo, broker, clock, 1.0)  # type: ignore[arg-type]
        detector.timers.push("d1:QLTM", OLD.timestamp(), new_round.key_hash)  # an old hint
        await detector.check_once()
        assert broker.on(topics.ASSIGNMENT_OVERDUE) == []
        clock.advance(NEW - clock.now())
        await detector.check_once()
        [overdue] = broker.on(topics.ASSIGNMENT_OVERDUE)
        assert (overdue.unit_code, overdue.level, overdue.due_at) == ("QLTM", 1, NEW)
    finally:
        await client.close()
