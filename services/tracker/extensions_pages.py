"""Deadline extensions on the desk and the dashboard (issue 16).

- ``/desk/dispatches/{id}/extensions``: the unit's requests on the dispatch with their decisions,
  and the form to ask for a later deadline (``POST /desk/extensions``);
- ``/dashboard/extensions``: "Đề nghị gia hạn chờ quyết định", the pending requests oldest first,
  each with approve and refuse buttons (``POST /dashboard/extensions/{id}/decision``), and the
  recent decisions.
Both take the API's path (:class:`services.tracker.extensions_flow.Extensions`).
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from services.tracker.dashboard import auth
from services.tracker.dashboard import render as dashboard_render
from services.tracker.dashboard.labels import when
from services.tracker.dashboard.signin import SignIn, Viewer
from services.tracker.desk import render as desk_render
from services.tracker.desk.signin import DeskSignIn, DeskUser
from services.tracker.desk.unit_requests import not_assigned, signed_in, unit_share
from services.tracker.extensions import STATUS_WORDS, ExtensionRequest, RequestStatus, words_of
from services.tracker.extensions_flow import Extensions, NotAllowed
from services.tracker.people import may_answer
from shared.clock import VIETNAM_TZ

Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]
EXPIRED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."


def row(request: ExtensionRequest, names: dict[str, str]) -> dict[str, Any]:
    """A request as the pages show it."""
    return {"request_id": request.id, "dispatch_id": request.dispatch_id,
            "unit_code": request.unit_code, "unit_name": names.get(request.unit_code,
                                                                   request.unit_code),
            "subject": request.subject, "reason": request.reason,
            "requested_by": request.requested_by, "requested_words": when(request.requested_at),
            "from_words": words_of(request.current_due_at), "to_words": words_of(request.new_due_at),
            "status": request.status.value, "status_words": STATUS_WORDS[request.status],
            "decided_by": request.decided_by, "note": request.note,
            "decided_words": when(request.decided_at) if request.decided_at else None}


def local_deadline(value: str) -> datetime | None:
    """A date-time typed in the form (``2024-02-21T17:00``, Vietnam time), or None if unreadable."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TZ)


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")


def extension_pages(extensions: Extensions, desk_signin: DeskSignIn, signin: SignIn,
                    names: dict[str, str]) -> APIRouter:
    """The desk's and the dashboard's extension pages and forms."""
    router = APIRouter(include_in_schema=False)
    store = extensions.requests

    person = signed_in(desk_signin)

    async def leader(request: Request) -> Viewer:
        who = await signin.viewer(request)
        if who is None:
            raise HTTPException(303, detail="đăng nhập",
                                headers={"Location": auth.login_url(request.url.path)})
        return who

    async def desk_page(user: DeskUser, dispatch_id: str, *, error: str | None = None,
                        notice: str | None = None, status_code: int = 200) -> Response:
        share = await unit_share(user.person, dispatch_id,
                                 await store.listed(dispatch_id=dispatch_id), extensions.repo)
        if share is None:
            return not_assigned(user, names)
        own = share.own
        return desk_render.render("extensions.html.j2", {
            "me": user.person, "csrf": user.csrf, "units": names, "dispatch_id": dispatch_id,
            "requests": [row(r, names) for r in share.requests], "may_ask": share.may_file,
            "due_words": words_of(own.due_at) if own else None, "cap": extensions.cap,
            "error": error, "notice": notice, "now": when(extensions.clock.now())},
            status_code=status_code)

    @router.get("/desk/dispatches/{dispatch_id}/extensions")
    async def desk_extensions(dispatch_id: str, user: Annotated[DeskUser, Depends(person)],
                              done: str | None = None) -> Response:
        return await desk_page(user, dispatch_id, notice=(
            "Đã gửi đề nghị gia hạn tới Lãnh đạo Sở; hệ thống ghi nhận trong giây lát."
            if done else None))

    @router.post("/desk/extensions")
    async def desk_ask(user: Annotated[DeskUser, Depends(person)], dispatch_id: Short,
                       new_due_at: Short = "", reason: Text = "", csrf: Short = "") -> Response:
        me = user.person
        if not auth.same_secret(user.csrf, csrf):
            return await desk_page(user, dispatch_id, status_code=403, error=EXPIRED)
        if (refusal := may_answer(me, me.unit_code)) is not None:
            return await desk_page(user, dispatch_id, status_code=403, error=_sentence(refusal))
        moment = local_deadline(new_due_at)
        if moment is None or not reason.strip():
            return await desk_page(user, dispatch_id, status_code=422, error=(
                "Chọn ngày giờ xin gia hạn." if moment is None else "Ghi rõ lý do xin gia hạn."))
        try:
            await extensions.ask(dispatch_id=dispatch_id, unit_code=me.unit_code,
                                 new_due_at=moment, reason=reason.strip(), requested_by=me.login)
        except NotAllowed as no:
            return await desk_page(user, dispatch_id, status_code=no.refusal.status,
                                   error=_sentence(no.refusal.reason))
        return RedirectResponse(f"/desk/dispatches/{dispatch_id}/extensions?done=1",
                                status_code=303)

    async def board(who: Viewer, *, error: str | None = None, notice: str | None = None,
                    status_code: int = 200, fragment: bool = False) -> Response:
        pending = await store.listed(status=RequestStatus.PENDING)
        decided = [r for r in await store.listed(limit=40) if r.status != RequestStatus.PENDING]
        return dashboard_render.render("extensions.html.j2", {
            "who": who.name, "csrf": who.csrf, "now": when(extensions.clock.now()),
            "refresh": 600, "units": names, "pending": [row(r, names) for r in pending],
            "decided": [row(r, names) for r in decided[:20]], "error": error, "notice": notice},
            status_code=status_code, fragment=fragment)

    @router.get("/dashboard/extensions")
    async def dashboard_extensions(who: Annotated[Viewer, Depends(leader)],
                                   done: str | None = None, fragment: bool = False) -> Response:
        """Refreshed every 10 minutes only: a note being typed is not wiped."""
        return await board(who, fragment=fragment, notice=(
            "Đã gửi quyết định; đơn vị được thông báo." if done else None))

    @router.post("/dashboard/extensions/{request_id}/decision")
    async def dashboard_decide(request_id: str, who: Annotated[Viewer, Depends(leader)],
                               decision: Short = "", note: Text = "",
                               csrf: Short = "") -> Response:
        if not auth.same_secret(who.csrf, csrf):
            return await board(who, status_code=403, error=EXPIRED)
        if decision not in ("approve", "refuse"):
            return await board(who, status_code=422, error="Chọn đồng ý hoặc không đồng ý.")
        try:
            await extensions.decide(request_id=request_id, approve=decision == "approve",
                                    note=note.strip() or None, decided_by=who.name)
        except NotAllowed as no:
            return await board(who, status_code=no.refusal.status,
                               error=_sentence(no.refusal.reason))
        return RedirectResponse("/dashboard/extensions?done=1", status_code=303)

    return router
