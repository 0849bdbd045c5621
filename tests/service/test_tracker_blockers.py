"""Blockers over HTTP, in memory: a unit reports one (202 with its id, the event out, on the
timeline), leadership lists it with its wait and answers it once (409 after that, with the reason);
anyone else is refused 403."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI, Request

from services.tracker.access import AccessControl
from services.tracker.blockers import Blocker, BlockerStatus
from services.tracker.blockers_api import blockers_router
from services.tracker.blockers_flow import BlockerDesk
from services.tracker.blockers_pages import blocker_pages
from services.tracker.dashboard.signin import Viewer
from services.tracker.desk.signin import DeskUser
from services.tracker.people import Person, Role
from shared import topics
from shared.clock import FixedClock
from shared.events_blockers import BlockerDirected, BlockerReported
from shared.tokens import hash_secret
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import RecordingBroker, repository_with_one_assignment

NOW = datetime(2024, 2, 15, 2, tzinfo=UTC)  # Thursday 09:00 in Vietnam
ACCESS = AccessControl(f"QLTM:{hash_secret('qltm')},VP:{hash_secret('vp')}",
                       f"director:{hash_secret('leader')}")
QLTM, VP, LEADER = ({"Authorization": f"Bearer {t}"} for t in ("qltm", "vp", "leader"))


class InMemoryBlockers:
    """Behaves like BlockersRepository (a direction is inserted once)."""

    def __init__(self) -> None:
        self.blockers: dict[str, dict[str, Any]] = {}
        self.directions: set[str] = set()

    async def add(self, blocker: Blocker) -> None:
        self.blockers[blocker.id] = blocker.as_doc()

    async def blocker(self, blocker_id: str) -> Blocker | None:
        doc = self.blockers.get(blocker_id)
        return None if doc is None else Blocker.from_doc(copy.deepcopy(doc))

    async def direct(self, answered: Blocker) -> bool:
        if answered.id in self.directions:
            return False
        self.directions.add(answered.id)
        self.blockers[answered.id] = answered.as_doc()
        return True

    async def remove(self, blocker_id: str) -> None:
        del self.blockers[blocker_id]

    async def undirect(self, blocker: Blocker) -> None:
        self.directions.discard(blocker.id)
        self.blockers[blocker.id] = blocker.as_doc()

    async def listed(self, *, status: BlockerStatus | None = None, dispatch_id: str | None = None,
                     unit_code: str | None = None, limit: int = 500) -> list[Blocker]:
        found = [Blocker.from_doc(d) for d in self.blockers.values()]
        return [b for b in found if (status is None or b.status is status)
                and dispatch_id in (None, b.dispatch_id) and unit_code in (None, b.unit_code)]


def _app(status: str = "acknowledged") -> tuple[FastAPI, Any, RecordingBroker, FixedClock]:
    repo, broker, clock = repository_with_one_assignment(status), RecordingBroker(), FixedClock(NOW)
    repo.dispatches["d1"] = {"_id": "d1", "subject": "V/v báo cáo tổng kết", "number": "12",
                             "notation": "SCT-VP"}
    desk = BlockerDesk(repo, InMemoryBlockers(), broker, clock, WorkCalendar())  # type: ignore[arg-type]
    app = FastAPI()
    app.include_router(blockers_router(desk, ACCESS, {"QLTM": "Phòng Quản lý thương mại"}))
    return app, repo, broker, clock


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tracker")


async def test_blocker_reported_listed_directed_once_with_its_wait() -> None:
    app, repo, broker, clock = _app()
    url = "/dispatches/d1/units/QLTM/blockers"
    async with _client(app) as client:
        reported = await client.post(url, json={"note": "Thiếu số liệu của Sở Tài chính"},
                                     headers=QLTM)
        assert reported.status_code == 202, reported.text
        blocker_id = reported.json()["blocker_id"]
        assert reported.headers["Location"] == f"/blockers/{blocker_id}"
        [event] = broker.on(topics.BLOCKER_REPORTED)
        assert isinstance(event, BlockerReported) and event.blocker_id == blocker_id
        assert (event.unit_code, event.reported_by, event.subject, event.notation) == (
            "QLTM", "QLTM", "V/v báo cáo tổng kết", "SCT-VP")
        assert repo.timeline[event.event_id]["event_type"] == "blocker.reported"

        clock.advance(timedelta(hours=2, minutes=30))
        listed = (await client.get("/blockers?status=open", headers=LEADER)).json()
        assert listed["count"] == 1
        [row] = listed["blockers"]
        assert (row["blocker_id"], row["status"], row["waited_words"]) == (
            blocker_id, "open", "2 giờ 30 phút")
        assert row["waited_s"] == 9000 and row["unit_name"] == "Phòng Quản lý thương mại"
        assert (await client.get("/blockers?status=open", headers=VP)).json()["count"] == 0
        assert (await client.get("/blockers?unit_code=QLTM", headers=VP)).status_code == 403
        assert (await client.get(f"/blockers/{blocker_id}", headers=VP)).status_code == 404

        direction_url = f"/blockers/{blocker_id}/direction"
        by_unit = await client.post(direction_url, json={"direction": "tự xử"}, headers=QLTM)
        assert by_unit.status_code == 403
        directed = await client.post(direction_url, headers=LEADER,
                                     json={"direction": "Văn phòng mời Sở Tài chính họp ngay"})
        assert directed.status_code == 200, directed.text
        answer = directed.json()
        assert (answer["status"], answer["directed_by"], answer["waited_words"]) == (
            "directed", "director", "2 giờ 30 phút")
        [sent] = broker.on(topics.BLOCKER_DIRECTED)
        assert isinstance(sent, BlockerDirected) and sent.waited_s == 9000
        assert sent.unit_code == "QLTM" and sent.note == "Thiếu số liệu của Sở Tài chính"
        assert repo.timeline[sent.event_id]["waited_words"] == "2 giờ 30 phút"

        again = await client.post(direction_url, json={"direction": "khác"}, headers=LEADER)
        assert again.status_code == 409 and "đã có ý kiến chỉ đạo" in again.json()["detail"]
        assert len(broker.on(topics.BLOCKER_DIRECTED)) == 1
        assert (await client.get("/blockers?status=open", headers=LEADER)).json()["count"] == 0
        seen = (await client.get(f"/blockers/{blocker_id}", headers=QLTM)).json()
        assert seen["direction"] == "Văn phòng mời Sở Tài chính họp ngay"  # it reaches the unit
        unknown = await client.post("/blockers/nope/direction", json={"direction": "x"},
                                    headers=LEADER)
        assert unknown.status_code == 404


async def test_outsiders_closed_work_and_empty_notes_are_refused_and_nothing_is_sent() -> None:
    app, _, broker, _ = _app()
    async with _client(app) as client:
        other = await client.post("/dispatches/d1/units/QLTM/blockers", json={"note": "x"},
                                  headers=VP)
        assert other.status_code == 403 and "QLTM" in other.json()["detail"]
        missing = await client.post("/dispatches/d2/units/QLTM/blockers", json={"note": "x"},
                                    headers=QLTM)
        assert missing.status_code == 404
        empty = await client.post("/dispatches/d1/units/QLTM/blockers", json={"note": "  "},
                                  headers=QLTM)
        assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "note"]
    closed, _, closed_broker, _ = _app("completed")
    async with _client(closed) as client:
        done = await client.post("/dispatches/d1/units/QLTM/blockers", json={"note": "x"},
                                 headers=QLTM)
        assert done.status_code == 409 and "kết thúc" in done.json()["detail"]
    assert broker.published == [] and closed_broker.published == []


class _Signed:
    """Stands in for the desk's and the dashboard's sign-ins: whoever ``login`` names."""

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people

    async def user(self, request: Request) -> DeskUser | None:
        person = self.people.get(request.headers.get("x-login", ""))
        return None if person is None else DeskUser(person, "csrf-1")

    async def viewer(self, request: Request) -> Viewer | None:
        return Viewer("director", "csrf-2") if request.headers.get("x-login") == "gd" else None


def _person(login: str, unit: str, role: Role = Role.STAFF) -> Person:
    return Person(login=login, name=f"Chị {login.upper()}", unit_code=unit, role=role,
                  password_hash="x")


async def test_desk_form_reports_and_the_dashboard_form_directs_and_both_pages_show_it() -> None:
    _, repo, broker, clock = _app()
    desk = BlockerDesk(repo, InMemoryBlockers(), broker, clock, WorkCalendar())  # type: ignore[arg-type]
    signed = _Signed({"nva": _person("nva", "QLTM"), "vpx": _person("vpx", "VP")})
    pages = FastAPI()
    pages.include_router(blocker_pages(desk, signed, signed,  # type: ignore[arg-type]
                                       {"QLTM": "Phòng Quản lý thương mại"}))
    me, other, leader = {"x-login": "nva"}, {"x-login": "vpx"}, {"x-login": "gd"}
    async with _client(pages) as client:
        page = await client.get("/desk/dispatches/d1/blockers", headers=me)
        assert page.status_code == 200 and 'action="/desk/blockers"' in page.text
        forged = await client.post("/desk/blockers", headers=me, data={
            "dispatch_id": "d1", "note": "x", "csrf": "wrong"})
        assert forged.status_code == 403 and broker.published == []
        sent = await client.post("/desk/blockers", headers=me, data={
            "dispatch_id": "d1", "note": "Chưa có ý kiến của Sở Tài chính", "csrf": "csrf-1"})
        assert sent.status_code == 303
        [event] = broker.on(topics.BLOCKER_REPORTED)
        assert (event.reported_by, event.reported_by_name) == ("nva", "Chị NVA")
        outsider = await client.post("/desk/blockers", headers=other, data={
            "dispatch_id": "d1", "note": "x", "csrf": "csrf-1"})
        assert outsider.status_code == 403  # VP holds no assignment on d1
        assert (await client.get("/desk/dispatches/d1/blockers", headers=other)).status_code == 403

        clock.advance(timedelta(days=1))  # Thursday → Friday
        board = await client.get("/dashboard/blockers", headers=leader)
        assert board.status_code == 200 and "đã chờ 1 ngày làm việc" in board.text
        assert "Chưa có ý kiến của Sở Tài chính" in board.text
        assert (await client.get("/dashboard/blockers", headers=me)).status_code == 303
        assert (await client.get("/dashboard/blockers?fragment=1", headers=me)).status_code == 401
        live = await client.get("/dashboard/blockers?fragment=1", headers=leader)
        assert live.status_code == 200 and "<html" not in live.text and "đã chờ" in live.text
        url = f"/dashboard/blockers/{event.blocker_id}/direction"
        answered = await client.post(url, headers=leader, data={
            "direction": "Văn phòng làm việc với Sở Tài chính", "csrf": "csrf-2"})
        assert answered.status_code == 303
        twice = await client.post(url, headers=leader, data={"direction": "x", "csrf": "csrf-2"})
        assert twice.status_code == 409 and "đã có ý kiến chỉ đạo của director" in twice.text

        mine = (await client.get("/desk/dispatches/d1/blockers", headers=me)).text
        assert "Văn phòng làm việc với Sở Tài chính" in mine and "1 ngày làm việc" in mine
    assert [e.waited_words for e in broker.on(topics.BLOCKER_DIRECTED)] == ["1 ngày làm việc"]


async def test_when_kafka_refuses_the_event_nothing_is_kept_and_the_caller_may_send_again() -> None:
    app, repo, broker, _ = _app()
    async with _client(app) as client:
        broker.fail_topic = topics.BLOCKER_REPORTED
        url = "/dispatches/d1/units/QLTM/blockers"
        down = await client.post(url, json={"note": "Thiếu số liệu"}, headers=QLTM)
        assert down.status_code == 503 and "gửi lại" in down.json()["detail"]
        assert (await client.get("/blockers", headers=LEADER)).json()["count"] == 0
        assert not any(t["event_type"].startswith("blocker.") for t in repo.timeline.values())
        blocker_id = (await client.post(url, json={"note": "Thiếu số liệu"},
                                         headers=QLTM)).json()["blocker_id"]

        broker.fail_topic = topics.BLOCKER_DIRECTED
        direction_url = f"/blockers/{blocker_id}/direction"
        down = await client.post(direction_url, json={"direction": "Làm ngay"}, headers=LEADER)
        assert down.status_code == 503
        [still_open] = (await client.get("/blockers?status=open", headers=LEADER)).json()["blockers"]
        assert still_open["blocker_id"] == blocker_id and still_open["direction"] is None
        again = await client.post(direction_url, json={"direction": "Làm ngay"}, headers=LEADER)
        assert again.status_code == 200 and again.json()["status"] == "directed"
    assert len(broker.on(topics.BLOCKER_REPORTED)) == len(broker.on(topics.BLOCKER_DIRECTED)) == 1
