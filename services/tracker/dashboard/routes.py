"""The leadership dashboard's pages under ``/dashboard``: read-only, server-rendered, in Vietnamese.

Pages: overview, overdue list, a dispatch, a broadcast's matrix, a unit's worklist; plus the login
and logout of ``services.tracker.dashboard.signin``.
Each page takes ``?fragment=1`` (its live part only, for the self-refresh) and ``?refresh=N``
(seconds between refreshes, 2–600, default 15).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from services.tracker import letter
from services.tracker.dashboard import auth, dispatch_page, review, views
from services.tracker.dashboard.labels import REPLY, when
from services.tracker.dashboard.queries import DashboardQueries
from services.tracker.dashboard.render import render, static_file
from services.tracker.dashboard.signin import SignIn, Viewer
from shared.clock import Clock

Fragment = Annotated[bool, Query(description="Only the part that refreshes.")]
Refresh = Annotated[int, Query(ge=2, le=600, description="Seconds between refreshes.")]


def dashboard_pages(queries: DashboardQueries, signin: SignIn, clock: Clock,
                    unit_names: dict[str, str], review_threshold: float = 0.8) -> APIRouter:
    """Routes of the dashboard; ``unit_names`` maps unit codes to names, in organisation order;
    parsed fields below ``review_threshold`` are marked for review (issue 18)."""
    router = APIRouter(prefix=auth.PREFIX, tags=["dashboard"], include_in_schema=False)
    router.include_router(signin.router())

    async def leader(request: Request, fragment: Fragment = False) -> Viewer:
        who = await signin.viewer(request)
        if who is not None:
            return who
        if fragment:
            raise HTTPException(401, detail="đăng nhập lại")
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(303, detail="đăng nhập", headers={"Location": auth.login_url(path)})

    Leader = Annotated[Viewer, Depends(leader)]

    def page(name: str, who: Viewer, fragment: bool, refresh: int, **context: Any) -> Response:
        now = clock.now()
        return render(name, {"who": who.name, "csrf": who.csrf, "now": when(now),
                             "refresh": refresh, "units": unit_names, **context},
                      fragment=fragment)

    @router.get("/static/{name}")
    async def static(name: str) -> Response:
        found = static_file(name)
        if found is None:
            raise HTTPException(404)
        return Response(found[0], media_type=found[1],
                        headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})

    @router.get("")
    async def overview(who: Leader, fragment: Fragment = False, refresh: Refresh = 15,
                       days: Annotated[int, Query(ge=1, le=3660)] = 30) -> Response:
        assignments = await queries.assignments()
        now = clock.now()
        return page("overview.html.j2", who, fragment, refresh, days=days,
                    cards=views.cards(assignments, await queries.disputed_count(),
                                      await queries.handoffs(), now,
                                      len(await queries.failed_notifications())),
                    bars=views.rate_bars(assignments, now, days, unit_names))

    @router.get("/overdue")
    async def overdue(who: Leader, fragment: Fragment = False, refresh: Refresh = 15,
                      sort: Annotated[str, Query(pattern="^(days|unit)$")] = "days",
                      order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc") -> Response:
        assignments = await queries.assignments()
        heads = await queries.heads([a["dispatch_id"] for a in assignments if views.is_open(a)])
        rows = views.overdue_rows(assignments, heads, unit_names, clock.now(), sort,
                                  descending=order == "desc")
        return page("overdue.html.j2", who, fragment, refresh, rows=rows, sort=sort, order=order)

    @router.get("/notifications/failed")
    async def failed(who: Leader, fragment: Fragment = False, refresh: Refresh = 15) -> Response:
        rows = dispatch_page.failed_rows(await queries.failed_notifications(), unit_names)
        return page("failed.html.j2", who, fragment, refresh, rows=rows)

    async def dispatch_or_404(dispatch_id: str) -> dict[str, Any]:
        view = await queries.dispatch(dispatch_id)
        if view is None:
            raise HTTPException(404, detail="Không tìm thấy văn bản")
        return view

    @router.get("/dispatches/{dispatch_id}")
    async def dispatch(dispatch_id: str, who: Leader, fragment: Fragment = False,
                       refresh: Refresh = 15) -> Response:
        view = await dispatch_or_404(dispatch_id)
        doc = view["dispatch"]
        return page("dispatch.html.j2", who, fragment, refresh, dispatch_id=dispatch_id, doc=doc,
                    received=when(doc.get("received_at")),
                    text=None if fragment else await queries.text(doc),  # not refreshed
                    fields=dispatch_page.dispatch_fields(doc),
                    marks=(found := review.marks(doc, review_threshold)),
                    to_check=review.to_check(found),
                    moved=next((t.get("reason") for t in reversed(view["timeline"])
                                if t.get("event_type") == "dispatch.reassigned"), None),
                    original=letter.original(auth.PREFIX, dispatch_id, doc),
                    signature=dispatch_page.signature(doc),
                    assignments=dispatch_page.assignment_rows(view["assignments"], unit_names,
                                                              clock.now()),
                    timeline=dispatch_page.timeline(view["timeline"], view["checks"], unit_names))

    @router.get("/dispatches/{dispatch_id}/original/{blob_id}")
    async def original_file(dispatch_id: str, blob_id: str, who: Leader) -> Response:
        """The scan or file the dispatch was read from: inline only for images and PDF, never
        sniffed, and in a sandbox (no script runs from it)."""
        found = await queries.original(dispatch_id, blob_id)
        if found is None:
            raise HTTPException(404, detail="Không tìm thấy tệp gốc của văn bản")
        return letter.file_response(*found, inline=True)

    @router.get("/dispatches/{dispatch_id}/matrix")
    async def matrix(dispatch_id: str, who: Leader, fragment: Fragment = False,
                     refresh: Refresh = 15) -> Response:
        view = await dispatch_or_404(dispatch_id)
        rows = dispatch_page.matrix(view["assignments"], unit_names, clock.now())
        return page("matrix.html.j2", who, fragment, refresh, dispatch_id=dispatch_id,
                    doc=view["dispatch"], rows=rows, columns=REPLY)

    @router.get("/units/{unit_code}")
    async def unit(unit_code: str, who: Leader, fragment: Fragment = False,
                   refresh: Refresh = 15) -> Response:
        assignments = await queries.assignments(unit_code)
        if unit_code not in unit_names and not assignments:
            raise HTTPException(404, detail="Không có đơn vị này")
        heads = await queries.heads([a["dispatch_id"] for a in assignments if views.is_open(a)])
        rows = views.worklist_rows(assignments, heads, unit_names, clock.now())
        bars = views.rate_bars(assignments, clock.now(), 30, {unit_code: unit_names.get(unit_code,
                                                                                     unit_code)})
        return page("unit.html.j2", who, fragment, refresh, unit_code=unit_code,
                    unit_name=unit_names.get(unit_code, unit_code), rows=rows, bar=bars[0])

    return router
