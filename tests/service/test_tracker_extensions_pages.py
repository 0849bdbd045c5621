"""Extensions on the desk and the dashboard: a staff member asks from the dispatch's extension page,
leadership sees the request under "Đề nghị gia hạn chờ quyết định" and approves it, and the desk
shows the decision and the moved deadline; the forms refuse in words (sign-ins stubbed: their own
tests are the desk's and the dashboard's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi import Request

from services.tracker.dashboard.dispatch_page import _describe
from services.tracker.dashboard.signin import Viewer
from services.tracker.desk.signin import DeskUser
from services.tracker.extensions_pages import extension_pages
from services.tracker.people import Person, Role
from shared import topics
from tests.service.extension_world import NEW_DUE, World, started_world

STAFF = Person("nva", "Nguyễn Văn A", "QLTM", Role.STAFF, "x")
OTHER = Person("ttb", "Trần Thị B", "VP", Role.STAFF, "x")
NAMES = {"QLTM": "Phòng Quản lý thương mại", "VP": "Văn phòng Sở"}


@dataclass
class Stubs:
    """Who is signed in at the desk and at the dashboard."""

    person: Person = STAFF

    async def user(self, request: Request) -> DeskUser:
        return DeskUser(self.person, "desk-csrf")

    async def viewer(self, request: Request) -> Viewer:
        return Viewer("director", "board-csrf")


@pytest.fixture
async def world() -> Any:
    async for w in started_world():
        stubs: Any = Stubs()
        w.stubs = stubs  # type: ignore[attr-defined]
        w.app.include_router(extension_pages(w.extensions, stubs, stubs, NAMES))
        yield w


def _ask(**fields: str) -> dict[str, str]:
    return {"dispatch_id": "d1", "csrf": "desk-csrf", "new_due_at": "2024-02-21T17:00",
            "reason": "Chờ số liệu của các huyện", **fields}


async def test_asked_at_the_desk_approved_on_the_dashboard(world: World) -> None:
    world.clock.advance(timedelta(days=1))
    page = await world.client.get("/desk/dispatches/d1/extensions")
    assert page.status_code == 200 and "Hạn xử lý hiện tại: <strong data-due>16/02/2024 17:00" in page.text
    sent = await world.client.post("/desk/extensions", data=_ask())
    assert sent.status_code == 303
    assert sent.headers["location"] == "/desk/dispatches/d1/extensions?done=1"
    await world.consume()
    [request] = world.requests.docs.values()
    assert (request["new_due_at"], request["requested_by"]) == (NEW_DUE, "nva")  # 17:00 Hà Nội

    board = await world.client.get("/dashboard/extensions")
    assert "<span data-pending-extensions>1</span>" in board.text
    assert "Phòng Quản lý thương mại (QLTM)" in board.text and "21/02/2024 17:00" in board.text
    decided = await world.client.post(f"/dashboard/extensions/{request['_id']}/decision", data={
        "csrf": "board-csrf", "decision": "approve", "note": "Đồng ý, không gia hạn thêm"})
    assert decided.status_code == 303
    await world.consume()
    assert world.repo.assignments["d1:QLTM"]["due_at"] == NEW_DUE

    page = await world.client.get("/desk/dispatches/d1/extensions")
    assert "Hạn xử lý hiện tại: <strong data-due>21/02/2024 17:00" in page.text
    assert "Đã đồng ý (director" in page.text and "Đồng ý, không gia hạn thêm" in page.text
    board = await world.client.get("/dashboard/extensions")
    assert "<span data-pending-extensions>0</span>" in board.text and "đã đồng ý" in board.text
    words = [_describe(t, NAMES) for t in sorted(world.repo.timeline.values(),
                                                 key=lambda t: t["occurred_at"])
             if t["event_type"].startswith("extension.")]
    assert words == [
        "Phòng Quản lý thương mại (QLTM) xin gia hạn từ 16/02/2024 17:00 đến 21/02/2024 17:00 "
        "(người gửi: nva): «Chờ số liệu của các huyện»",
        "director đồng ý gia hạn cho Phòng Quản lý thương mại (QLTM) từ 16/02/2024 17:00 đến "
        "21/02/2024 17:00: «Đồng ý, không gia hạn thêm»"]


async def test_the_desk_form_refuses_in_words(world: World) -> None:
    world.clock.advance(timedelta(days=1))
    stale = await world.client.post("/desk/extensions", data=_ask(csrf="old"))
    assert stale.status_code == 403 and "tải lại trang" in stale.text
    past = await world.client.post("/desk/extensions", data=_ask(new_due_at="2024-02-10T17:00"))
    assert past.status_code == 422 and "đã qua" in past.text
    earlier = await world.client.post("/desk/extensions", data=_ask(new_due_at="2024-02-16T16:00"))
    assert earlier.status_code == 422 and "phải sau hạn hiện tại (16/02/2024 17:00)" in earlier.text
    unreadable = await world.client.post("/desk/extensions", data=_ask(new_due_at="mai"))
    assert unreadable.status_code == 422 and "Chọn ngày giờ" in unreadable.text
    no_reason = await world.client.post("/desk/extensions", data=_ask(reason="  "))
    assert no_reason.status_code == 422 and "lý do" in no_reason.text
    world.stubs.person = OTHER  # type: ignore[attr-defined]
    outsider = await world.client.get("/desk/dispatches/d1/extensions")
    assert "Gửi đề nghị gia hạn" in outsider.text  # VP coordinates on d1: may ask for its own
    assert world.broker.on(topics.EXTENSION_REQUESTED) == []  # nothing refused was published
    board = await world.client.post("/dashboard/extensions/nope/decision",
                                     data={"csrf": "board-csrf", "decision": "approve"})
    assert board.status_code == 404 and "Không có đề nghị gia hạn nope." in board.text
    forged = await world.client.post("/dashboard/extensions/nope/decision",
                                      data={"csrf": "x", "decision": "approve"})
    assert forged.status_code == 403
