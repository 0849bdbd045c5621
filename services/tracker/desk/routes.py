"""The desk's pages under ``/desk``: a unit's people see their work and answer it (issue 16).

Pages: the work list (``/desk``), a dispatch (``/desk/dispatches/{id}``: its text, fields, holders,
and its original file at ``/desk/dispatches/{id}/original/{blob_id}``), and two forms: an answer
(``POST /desk/respond``: acknowledge, progress, complete with a reply file, decline, transfer),
and a hand-over inside the unit (``POST /desk/handover``, unit heads only, with an optional note:
:mod:`services.tracker.desk.handover`). Answers take the API's path
(:func:`services.tracker.submitting.submit_response`) with ``responded_by`` = the person's login.
Whoever is not of the unit gets 403 with the reason, in words.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from faststream.kafka import KafkaBroker

from services.tracker import letter
from services.tracker.dashboard import auth
from services.tracker.desk import actions, pages
from services.tracker.desk.actions import Refused
from services.tracker.desk.handover import HandoverDesk
from services.tracker.desk.render import render, stylesheet
from services.tracker.desk.signin import PREFIX, DeskSignIn, DeskUser, login_url
from services.tracker.people import may_answer
from services.tracker.replies import file_problem, new_reply, size_words
from services.tracker.repository import TrackerRepository
from services.tracker.repository.people import PeopleRepository
from services.tracker.submitting import Answer, NotAccepted, submit_response
from shared.clock import Clock
from shared.events import ResponseAction
from shared.workdays import WorkCalendar

Text = Annotated[str, Form(max_length=4100)]
Short = Annotated[str, Form(max_length=200)]


@dataclass(frozen=True)
class ReplyLimits:
    """What a reply file may be."""

    max_bytes: int
    allowed: frozenset[str]


def desk_pages(repo: TrackerRepository, people: PeopleRepository, broker: KafkaBroker,
               clock: Clock, calendar: WorkCalendar, names: dict[str, str], signin: DeskSignIn,
               limits: ReplyLimits, titles: Mapping[str, str]) -> APIRouter:
    """Routes of the desk; ``names`` maps unit codes to names, ``titles`` to their head's title."""
    router = APIRouter(prefix=PREFIX, tags=["desk"], include_in_schema=False)
    handovers = HandoverDesk(repo, people, broker, clock, titles)
    router.include_router(signin.router())
    reader = pages.DeskReader(repo, people, clock, calendar, names)

    async def current(request: Request) -> DeskUser:
        user = await signin.user(request)
        if user is None:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise HTTPException(303, detail="đăng nhập", headers={"Location": login_url(path)})
        return user

    User = Annotated[DeskUser, Depends(current)]

    def page(template: str, user: DeskUser, status_code: int = 200, **context: Any) -> Response:
        return render(template, {"me": user.person, "csrf": user.csrf, "units": names,
                                 **context}, status_code=status_code)

    @router.get("/static/desk.css")
    async def css() -> Response:
        return Response(stylesheet(), media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})

    @router.get("")
    async def work(user: User) -> Response:
        mine, unit = await reader.work(user.person)
        return page("work.html.j2", user, mine=mine, unit=unit, now=reader.now_words())

    async def dispatch_page(user: DeskUser, dispatch_id: str, *, notice: str | None = None,
                            error: str | None = None, status_code: int = 200) -> Response:
        try:
            context = await reader.dispatch(user.person, dispatch_id)
        except Refused as refused:
            return page("refused.html.j2", user, refused.status, reason=refused.reason)
        return page("dispatch.html.j2", user, status_code, notice=notice, error=error,
                    limits=limits, max_size=size_words(limits.max_bytes), **context)

    @router.get("/dispatches/{dispatch_id}")
    async def dispatch(dispatch_id: str, user: User, done: str | None = None) -> Response:
        return await dispatch_page(user, dispatch_id, notice=actions.DONE.get(done or ""))

    @router.get("/dispatches/{dispatch_id}/original/{blob_id}")
    async def original(dispatch_id: str, blob_id: str, user: User) -> Response:
        """The file the dispatch came as, downloaded with its stored type and file name; 404 for
        a dispatch no unit of the person holds, as for a file the dispatch does not list."""
        found = await reader.original(user.person, dispatch_id, blob_id)
        if found is None:
            return page("refused.html.j2", user, 404, reason="Không tìm thấy tệp gốc của văn bản "
                        "này, hoặc văn bản không giao cho đơn vị của bạn.")
        return letter.file_response(*found, inline=False)

    def check_form(user: DeskUser, csrf: str) -> None:
        if not auth.same_secret(user.csrf, csrf):
            raise Refused(403, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")

    def done(dispatch_id: str, what: str) -> Response:
        return RedirectResponse(f"{PREFIX}/dispatches/{dispatch_id}?done={what}", status_code=303)

    @router.post("/respond")
    async def respond(user: User, dispatch_id: Short, action: Short, csrf: Short = "",
                      note: Text = "", transfer_to: Short = "",
                      reply: UploadFile | None = None) -> Response:
        person = user.person
        try:
            check_form(user, csrf)
            if (reason := may_answer(person, person.unit_code)) is not None:
                raise Refused(403, reason.capitalize() + ".")
            try:
                chosen = ResponseAction(action)
            except ValueError:
                raise Refused(422, "Thao tác không hợp lệ.") from None
            has_file = reply is not None and bool(reply.filename)
            if (problem := actions.answer_problem(chosen, note, transfer_to, has_file)):
                raise Refused(422, problem)
            blob_id = await _store_reply(user, dispatch_id, reply) if has_file else None
            await submit_response(repo, broker, clock, dispatch_id=dispatch_id,
                                  unit_code=person.unit_code, answer=Answer(
                                      chosen, note.strip() or None,
                                      transfer_to.strip().upper() or None, blob_id),
                                  responded_by=person.login)
        except NotAccepted as refused:
            return await dispatch_page(user, dispatch_id, status_code=refused.status,
                                       error=actions.refusal_words(refused.status, refused.reason))
        except Refused as refused:
            return await dispatch_page(user, dispatch_id, error=refused.reason,
                                       status_code=refused.status)
        return done(dispatch_id, chosen.value)

    async def _store_reply(user: DeskUser, dispatch_id: str, reply: UploadFile | None) -> str:
        assert reply is not None and reply.filename
        data = await reply.read(limits.max_bytes + 1)
        size = max(reply.size or 0, len(data))
        problem = file_problem(reply.filename, data[:16], size, max_bytes=limits.max_bytes,
                               allowed=limits.allowed)
        if problem is not None:
            raise Refused(413 if size > limits.max_bytes else 415, problem)
        stored = new_reply(dispatch_id, user.person.unit_code, reply.filename, data,
                           user.person.login, clock.now())
        await people.store_reply(stored)
        return stored.id

    @router.post("/handover")
    async def handover(user: User, dispatch_id: Short, staff: Short, csrf: Short = "",
                       note: Text = "") -> Response:
        try:
            check_form(user, csrf)
            await handovers.hand_over(user.person, dispatch_id, staff, note)
        except Refused as refused:
            return await dispatch_page(user, dispatch_id, error=refused.reason,
                                       status_code=refused.status)
        return done(dispatch_id, "handover")

    return router
