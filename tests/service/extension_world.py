"""A one-process tracker around one dispatch for the extension tests: the consumer, the detector
and the API over in-memory stores and broker, with a fixed clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from services.tracker.access import AccessControl
from services.tracker.deadline_detector import DeadlineDetector
from services.tracker.extensions_api import extensions_router
from services.tracker.extensions_flow import Extensions
from services.tracker.extensions_handlers import ExtensionHandlers
from services.tracker.handlers import TrackerHandlers
from shared import topics
from shared.clock import FixedClock
from shared.events import AssignmentRole, DispatchAssigned, UnitAssignment
from shared.tokens import hash_secret
from shared.workdays import WorkCalendar
from tests.service.extension_fakes import InMemoryExtensionRepository, TimedTrackerRepository
from tests.service.tracker_fakes import RecordingBroker

ASSIGNED_AT = datetime(2024, 2, 12, 2, tzinfo=UTC)  # Monday 09:00 in Hà Nội
OLD_DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)  # Friday 17:00
NEW_DUE = datetime(2024, 2, 21, 10, tzinfo=UTC)  # the next Wednesday 17:00
ACCESS = AccessControl(f"QLTM:{hash_secret('qltm')},VP:{hash_secret('vp')}",
                       f"director:{hash_secret('leader')}")
QLTM, VP, LEADER = ({"Authorization": f"Bearer {t}"} for t in ("qltm", "vp", "leader"))
ASK = "/dispatches/d1/units/QLTM/extension-requests"


class World:
    """The tracker's pieces around one dispatch assigned to QLTM (lead) and VP (coordinating)."""

    def __init__(self) -> None:
        self.clock = FixedClock(ASSIGNED_AT)
        self.repo, self.broker = TimedTrackerRepository(), RecordingBroker()
        self.requests = InMemoryExtensionRepository(self.repo)
        self.detector = DeadlineDetector(self.repo, self.broker, self.clock, 1.0)  # type: ignore[arg-type]
        calendar = WorkCalendar()
        self.tracker = TrackerHandlers(self.repo, self.broker, calendar,  # type: ignore[arg-type]
                                       watch=self.detector.watch, clock=self.clock)
        self.handlers = ExtensionHandlers(self.repo, self.requests, self.broker,  # type: ignore[arg-type]
                                          calendar, 1, 1, watch=self.detector.watch)
        self.extensions = Extensions(self.repo, self.requests, self.broker,  # type: ignore[arg-type]
                                     self.clock, 1)
        self.app = FastAPI()
        self.app.include_router(extensions_router(self.extensions, ACCESS))
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                        base_url="http://tracker")

    async def assign(self) -> None:
        await self.tracker.on_assigned([DispatchAssigned(
            correlation_id="d1", dispatch_id="d1", subject="Báo cáo tổng kết CCHC",
            occurred_at=ASSIGNED_AT, rule_id="r1", reason="theo lĩnh vực", assignments=[
                UnitAssignment(unit_code="QLTM", role=AssignmentRole.LEAD, due_at=OLD_DUE),
                UnitAssignment(unit_code="VP", role=AssignmentRole.COORDINATING,
                               due_at=OLD_DUE)])])

    async def consume(self) -> None:
        """The tracker's consumer takes what the API published (each event once)."""
        await self.handlers.on_requested(self.broker.on(topics.EXTENSION_REQUESTED))
        await self.handlers.on_decided(self.broker.on(topics.EXTENSION_DECIDED))

    async def at(self, moment: datetime, detector: DeadlineDetector | None = None) -> list[Any]:
        """Move the clock to ``moment``, run a deadline check; return the signals it published."""
        before = len(self.broker.published)
        self.clock.advance(moment - self.clock.now())
        await (detector or self.detector).check_once()
        return [m for _, m in self.broker.published[before:]]

    def overdue(self, signals: list[Any]) -> list[tuple[str, int]]:
        return [(s.unit_code, s.level) for s in signals if s.event_type == "assignment.overdue"]


async def started_world() -> AsyncIterator[World]:
    """A world whose dispatch is assigned and whose detector has loaded its timers."""
    world = World()
    await world.assign()
    await world.detector.check_once()  # joins: loads the timers
    yield world
    await world.client.aclose()
