"""The tracker's correction path (issue 18): the dispatch page marks the low-confidence fields,
leadership corrects one with the page's form, the event is published (with the corrected dispatch
for the router when routing reads the field), consumed once, shown on the page and its timeline,
and listed by ``GET /corrections``; bad forms are refused in words and publish nothing (sign-in
stubbed: its own tests are the dashboard's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

from services.tracker.access import AccessControl
from services.tracker.corrections_desk import desk_review_pages
from services.tracker.corrections_flow import Reviews
from services.tracker.corrections_wiring import corrections_routes
from services.tracker.dashboard.queries import DashboardQueries
from services.tracker.dashboard.routes import dashboard_pages
from services.tracker.dashboard.signin import Viewer
from services.tracker.desk.signin import DeskUser
from services.tracker.handlers import TrackerHandlers
from services.tracker.people import Person, Role
from services.tracker.writes import NewDocument, WriteBatch
from shared import topics
from shared.clock import FixedClock
from shared.events import DispatchReceived
from shared.events_corrections import DispatchCorrected
from shared.reading_parts import FieldOrigin
from shared.tokens import hash_secret
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import InMemoryTrackerRepository, RecordingBroker

NOW = datetime(2024, 3, 5, 2, 0, tzinfo=UTC)
ACCESS = AccessControl(f"VP:{hash_secret('vp')}", f"director:{hash_secret('leader')}")
LEADER = {"Authorization": "Bearer leader"}
LETTER = DispatchReceived(
    dispatch_id="d1", correlation_id="d1", source_system="portal", occurred_at=NOW,
    subject="Cung cấp thông tin phục vụ tổng hợp", issuer="BAN QUẢN LÝ DỰ ÁN",
    notation="SCT-QLTM", body="BAN QUẢN LÝ DỰ ÁN\nSố: 15/SCT-QLTM\nV/v cung cấp thông tin",
    parsed_fields=["issuer", "notation"],
    field_origins={"issuer": FieldOrigin(origin="text", confidence=0.55),
                   "notation": FieldOrigin(origin="text", confidence=0.95)})


class Repository(InMemoryTrackerRepository):
    """The in-memory tracker store, which also applies the writes to ``dispatches``."""

    async def apply(self, batch: WriteBatch) -> int:
        for write in batch.dispatches:
            if isinstance(write, NewDocument):
                self.dispatches.setdefault(write.id, {"_id": write.id, **write.fields})
            elif write.id in self.dispatches:
                self.dispatches[write.id].update(write.fields)
        return await super().apply(batch)


class Store:
    """``CorrectionsRepository`` in memory."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}

    async def add(self, event: DispatchCorrected) -> bool:
        if event.event_id in self.docs:
            return False
        self.docs[event.event_id] = {**event.model_dump(mode="json", exclude={"corrected"}),
                                     "occurred_at": event.occurred_at}
        return True

    async def listed(self, *, since: datetime | None = None, limit: int = 5000) -> list[Any]:
        return [d for d in self.docs.values() if since is None or d["occurred_at"] >= since]


class Stub:
    person = Person("hoa", "Nguyễn Thị Hoa", "VP", Role.OFFICE, "x")

    async def viewer(self, request: Request) -> Viewer:
        return Viewer("director", "board-csrf")

    async def user(self, request: Request) -> DeskUser:
        return DeskUser(self.person, "desk-csrf")

    def router(self) -> APIRouter:
        return APIRouter()


STUB = Stub()


@pytest.fixture
async def world() -> Any:
    repo, broker, store, clock = Repository(), RecordingBroker(), Store(), FixedClock(NOW)
    await TrackerHandlers(repo, broker, WorkCalendar(), clock=clock).on_received(  # type: ignore[arg-type]
        [LETTER])
    reviews = Reviews(repo, store, broker, clock)  # type: ignore[arg-type]
    app = FastAPI()
    app.include_router(dashboard_pages(DashboardQueries(repo), Stub(), clock,  # type: ignore[arg-type]
                                       {"VP": "Văn phòng Sở"}, 0.8))
    app.include_router(corrections_routes(reviews, store, Stub(), ACCESS, clock))  # type: ignore[arg-type]
    app.include_router(desk_review_pages(reviews, STUB, {"VP": "Văn phòng Sở"}, 0.8))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tracker") as client:
        yield client, repo, broker, reviews


async def test_a_field_corrected_on_the_page_is_published_applied_once_and_listed(
        world: Any) -> None:
    client, repo, broker, reviews = world
    page = await client.get("/dashboard/dispatches/d1")
    assert page.status_code == 200
    assert 'data-review="issuer">cần kiểm tra · tin cậy 55%' in page.text
    assert 'data-review="notation"' not in page.text  # 95%: not marked, but may be corrected
    assert 'action="/dashboard/dispatches/d1/fields/notation"' in page.text
    sent = await client.post("/dashboard/dispatches/d1/fields/issuer", data={
        "csrf": "board-csrf", "action": "correct", "value": "SỞ CÔNG THƯƠNG"})
    assert sent.status_code == 303
    assert sent.headers["location"] == "/dashboard/dispatches/d1?reviewed=issuer"
    [event] = broker.on(topics.DISPATCH_CORRECTED)
    assert (event.review, event.before, event.after, event.corrected_by, event.confidence) == (
        "corrected", "BAN QUẢN LÝ DỰ ÁN", "SỞ CÔNG THƯƠNG", "director", 0.55)
    assert event.reroutes and event.corrected.issuer == "SỞ CÔNG THƯƠNG"
    assert event.corrected.notation == "SCT-QLTM" and event.corrected.occurred_at == NOW

    await reviews.on_corrected([event])
    await reviews.on_corrected([event])  # redelivered: applied once
    assert repo.dispatches["d1"]["issuer"] == "SỞ CÔNG THƯƠNG"
    page = await client.get("/dashboard/dispatches/d1")
    assert 'data-review="issuer"' not in page.text and "Đã sửa: director" in page.text
    assert page.text.count("Văn phòng sửa trường Cơ quan ban hành: «BAN QUẢN LÝ DỰ ÁN» → "
                           "«SỞ CÔNG THƯƠNG» (người sửa: director)") == 1

    confirmed = await client.post("/dashboard/dispatches/d1/fields/notation", data={
        "csrf": "board-csrf", "action": "confirm"})
    assert confirmed.status_code == 303
    last = broker.on(topics.DISPATCH_CORRECTED)[-1]
    assert (last.review, last.after, last.corrected, last.reroutes) == (
        "confirmed", "SCT-QLTM", None, False)
    await reviews.on_corrected([last])

    listed = await client.get("/corrections", headers=LEADER)
    [shown] = listed.json()["dispatches"]
    assert shown["fields"]["issuer"] == "SỞ CÔNG THƯƠNG" and shown["text"] == LETTER.body
    assert [(r["field"], r["review"]) for r in shown["reviews"]] == [
        ("issuer", "corrected"), ("notation", "confirmed")]
    assert (await client.get("/corrections", headers={"Authorization": "Bearer vp"})
            ).status_code == 403


async def test_bad_forms_are_refused_in_words_and_publish_nothing(world: Any) -> None:
    client, _, broker, _ = world
    forged = await client.post("/dashboard/dispatches/d1/fields/issuer",
                               data={"csrf": "x", "action": "correct", "value": "A"})
    assert forged.status_code == 403, forged.text
    assert "hết hạn" in forged.text
    wrong_day = await client.post("/dashboard/dispatches/d1/fields/issued_on", data={
        "csrf": "board-csrf", "action": "correct", "value": "mai"})
    assert wrong_day.status_code == 422 and "Ngày ban hành: «mai» không phải ngày" in wrong_day.text
    unknown = await client.post("/dashboard/dispatches/nope/fields/issuer", data={
        "csrf": "board-csrf", "action": "correct", "value": "A"})
    assert unknown.status_code == 404
    body = await client.post("/dashboard/dispatches/d1/fields/body", data={
        "csrf": "board-csrf", "action": "correct", "value": "A"})
    assert body.status_code == 422
    broker.fail_topic = topics.DISPATCH_CORRECTED
    down = await client.post("/dashboard/dispatches/d1/fields/issuer", data={
        "csrf": "board-csrf", "action": "correct", "value": "SỞ CÔNG THƯƠNG"})
    assert down.status_code == 503 and "gửi lại" in down.text
    assert broker.on(topics.DISPATCH_CORRECTED) == []


async def test_the_office_s_people_review_at_the_desk_and_no_one_else(world: Any) -> None:
    client, _, broker, reviews = world
    page = await client.get("/desk/dispatches/d1/review")
    assert page.status_code == 200
    assert 'data-review="issuer">cần kiểm tra · tin cậy 55%' in page.text
    sent = await client.post("/desk/dispatches/d1/fields/issuer", data={
        "csrf": "desk-csrf", "action": "correct", "value": "SỞ CÔNG THƯƠNG"})
    assert sent.status_code == 303
    [event] = broker.on(topics.DISPATCH_CORRECTED)
    assert event.corrected_by == "Nguyễn Thị Hoa (Văn phòng)" and event.reroutes
    await reviews.on_corrected([event])
    page = await client.get("/desk/dispatches/d1/review")
    assert "Đã sửa: Nguyễn Thị Hoa (Văn phòng)" in page.text
    STUB.person = Person("an", "Lê Văn An", "QLTM", Role.STAFF, "x")
    try:
        staff = await client.get("/desk/dispatches/d1/review")
        assert staff.status_code == 403 and "Chỉ Văn phòng Sở" in staff.text
        posted = await client.post("/desk/dispatches/d1/fields/issuer", data={
            "csrf": "desk-csrf", "action": "correct", "value": "X"})
        assert posted.status_code == 403
    finally:
        STUB.person = Stub.person
    assert len(broker.on(topics.DISPATCH_CORRECTED)) == 1
