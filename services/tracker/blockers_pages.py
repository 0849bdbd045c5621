"""Blockers on the desk and the dashboard (issue 16).

- ``/desk/dispatches/{id}/blockers``: the unit's blockers on the dispatch, each with its direction
  (or how long it has waited), and the form to report one (``POST /desk/blockers``);
- ``/dashboard/blockers``: "Vướng mắc chờ chỉ đạo", the open blockers oldest first with how long each
  has waited, and the form leadership answers with (``POST /dashboard/blockers/{id}/direction``).
Both take the API's path (:class:`services.tracker.blockers_flow.BlockerDesk`).
"""


from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from services.tracker import blockers as rules
from services.tracker.blockers import BlockerStatus
from services.tracker.blockers_flow import BlockerDesk, BlockerRefused
from services.tracker.dashboard import auth
from services.tracker.dashboard import render as dashboard_render
from services.tracker.dashboard.labels import when
from services.tracker.dashboard.signin import SignIn, Viewer
from services.tracker.desk import render as desk_render
from services.tracker.desk.signin import DeskSignIn, DeskUser
from services.tracker.desk.unit_requests import not_assigned, signed_in, unit_share
from services.tracker.people import may_answer

Text = Annotated[str, Form(max_length=rules.NOTE_MAX + 100)]
Short = Annotated[str, Form(max_length=200)]


def blocker_pages(desk: BlockerDesk, desk_signin: DeskSignIn, signin: SignIn,
                  names: dict[str, str]) -> APIRouter:
    """The desk's and the dashboard's blocker pages and forms."""
    router = APIRouter(include_in_schema=False)

    person = signed_in(desk_signin)

    async def leader(request: Request) -> Viewer:
        who = await signin.viewer(request)
        if who is None and request.query_params.get("fragment"):
            raise HTTPException(401, detail="đăng nhập lại")  # refresh.js reloads the page
        if who is None:
            raise HTTPException(303, detail="đăng nhập",
                                headers={"Location": auth.login_url(request.url.path)})
        return who

    def rows(found: list[rules.Blocker]) -> list[dict[str, Any]]:
        return [rules.row(b, desk.clock.now(), desk.calendar, names) for b in found]

    async def desk_page(user: DeskUser, dispatch_id: str, *, error: str | None = None,
                        notice: str | None = None, status_code: int = 200) -> Response:
        share = await unit_share(user.person, dispatch_id,
                                 await desk.store.listed(dispatch_id=dispatch_id), desk.repo)
        if share is None:
            return not_assigned(user, names)
        return desk_render.render("blockers.html.j2", {
            "me": user.person, "csrf": user.csrf, "units": names, "dispatch_id": dispatch_id,
            "blockers": rows(share.requests), "may_report": share.may_file, "error": error,
            "notice": notice, "now": when(desk.clock.now()), "note_max": rules.NOTE_MAX},
            status_code=status_code)

    @router.get("/desk/dispatches/{dispatch_id}/blockers")
    async def desk_blockers(dispatch_id: str, user: Annotated[DeskUser, Depends(person)],
                            done: str | None = None) -> Response:
        return await desk_page(user, dispatch_id, notice="Đã gửi phản ánh vướng mắc tới Văn phòng "
                               "Sở và Phó Giám đốc phụ trách." if done else None)

    @router.post("/desk/blockers")
    async def desk_report(user: Annotated[DeskUser, Depends(person)], dispatch_id: Short,
                          note: Text = "", csrf: Short = "") -> Response:
        me = user.person
        if not auth.same_secret(user.csrf, csrf):
            return await desk_page(user, dispatch_id, status_code=403, error=(
                "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."))
        if (reason := may_answer(me, me.unit_code)) is not None:
            return await desk_page(user, dispatch_id, status_code=403, error=reason.capitalize())
        try:
            await desk.report(dispatch_id=dispatch_id, unit_code=me.unit_code,
                              caller_unit=me.unit_code, note=note, reported_by=me.login,
                              reported_by_name=me.name)
        except BlockerRefused as refused:
            return await desk_page(user, dispatch_id, status_code=refused.status,
                                   error=refused.reason[:1].upper() + refused.reason[1:] + ".")
        return RedirectResponse(f"/desk/dispatches/{dispatch_id}/blockers?done=1",
                                status_code=303)

    async def board(who: Viewer, *, error: str | None = None, notice: str | None = None,
                    status_code: int = 200, fragment: bool = False) -> Response:
        found = await desk.store.listed(status=BlockerStatus.OPEN)
        answered = (await desk.store.listed(status=BlockerStatus.DIRECTED, limit=20))
        return dashboard_render.render("blockers.html.j2", {
            "who": who.name, "csrf": who.csrf, "now": when(desk.clock.now()), "refresh": 600,
            "units": names, "open": rows(found), "answered": rows(answered), "error": error,
            "notice": notice}, status_code=status_code, fragment=fragment)

    @router.get("/dashboard/blockers")
    async def dashboard_blockers(who: Annotated[Viewer, Depends(leader)], done: str | None = None,
                                 fragment: bool = False) -> Response:
        """Refreshed every 10 minutes only: a direction being typed is not wiped."""
        return await board(who, notice="Đã gửi ý kiến chỉ đạo tới đơn vị." if done else None,
                           fragment=fragment)

    @router.post("/dashboard/blockers/{blocker_id}/direction")
    async def dashboard_direct(blocker_id: str, who: Annotated[Viewer, Depends(leader)],
                               direction: Text = "", csrf: Short = "") -> Response:
        if not auth.same_secret(who.csrf, csrf):
            return await board(who, status_code=403, error=(
                "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."))
        try:
            await desk.direct(blocker_id=blocker_id, direction=direction, directed_by=who.name)
        except BlockerRefused as refused:
            return await board(who, status_code=refused.status,
                               error=refused.reason[:1].upper() + refused.reason[1:] + ".")
        return RedirectResponse("/dashboard/blockers?done=1", status_code=303)

    return router
