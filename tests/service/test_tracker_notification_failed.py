"""The tracker consumes ``vanthu.notification.failed.v1`` onto the dispatch's timeline, once, and the
dashboard's overview counts it. Before, nothing subscribed to it: a failed escalation left no trace
on any page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.tracker.access import AccessControl
from services.tracker.dashboard import dashboard_router
from services.tracker.handlers import TrackerHandlers, register
from services.tracker.settings import TrackerSettings
from shared import topics
from shared.clock import FixedClock, SystemClock
from shared.events import NotificationFailed
from shared.tokens import hash_secret
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import InMemoryTrackerRepository

FAILED = NotificationFailed(
    correlation_id="d1", dispatch_id="d1", unit_code="QLTM", keys=["d1/QLTM/overdue-L3/director/email"],
    kind="overdue", level=3, recipient_id="director", channel="email", step="render",
    reason="ký tự điều khiển trong trích yếu", attempts=0)


async def test_a_failed_notification_reaches_the_timeline_and_the_overview() -> None:
    repo = InMemoryTrackerRepository()
    repo.dispatches["d1"] = {"_id": "d1", "subject": "V/v tổng kết công tác năm 2023"}
    broker = KafkaBroker("127.0.0.1:9")
    register(broker, TrackerSettings(),
             TrackerHandlers(repo, broker, WorkCalendar()))  # type: ignore[arg-type]
    async with TestKafkaBroker(broker) as test_broker:
        for _ in range(2):  # delivered twice: recorded once
            await test_broker.publish(FAILED, topic=topics.NOTIFICATION_FAILED, key=b"d1")
    [entry] = [t for t in repo.timeline.values() if t["event_type"] == "notification.failed"]
    assert entry["_id"] == FAILED.event_id and entry["dispatch_id"] == "d1"
    assert (entry["kind"], entry["level"], entry["step"]) == ("overdue", 3, "render")
    assert entry["reason"] == "ký tự điều khiển trong trích yếu"

    app = FastAPI()
    access = AccessControl("", f"director:{hash_secret('leader')}")
    app.include_router(dashboard_router(repo, access, SystemClock(), TrackerSettings()))  # type: ignore[arg-type]
    auth = {"Authorization": "Bearer leader"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tracker") as client:
        overview = (await client.get("/dashboard", headers=auth)).text
        assert 'data-card="failed">1<' in overview and "Thông báo gửi thất bại" in overview
        listed = (await client.get("/dashboard/notifications/failed", headers=auth)).text
        assert "Gửi thông báo thất bại: nhắc quá hạn mức 3" in listed
        page = (await client.get("/dashboard/dispatches/d1", headers=auth)).text
        assert "lý do: ký tự điều khiển trong trích yếu" in page


async def test_a_failure_stands_after_the_signal_when_only_the_trackers_clock_moved() -> None:
    """In tests and the demo only the tracker's clock is moved forward: the failure is placed at the
    tracker's time, after the signal that caused it; on real time the notifier's time stands."""
    reported = datetime(2024, 2, 6, 1, tzinfo=UTC)
    event = FAILED.model_copy(update={"occurred_at": reported})
    for tracker_now, shown in ((datetime(2024, 2, 19, 10, tzinfo=UTC),) * 2,
                               (reported - timedelta(seconds=1), reported)):
        repo = InMemoryTrackerRepository()
        handlers = TrackerHandlers(repo, KafkaBroker("127.0.0.1:9"), WorkCalendar(),  # type: ignore[arg-type]
                                   clock=FixedClock(tracker_now))
        await handlers.on_notification_failed([event])
        [entry] = repo.timeline.values()
        assert (entry["occurred_at"], entry["reported_at"]) == (shown, reported)
