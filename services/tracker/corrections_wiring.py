"""Reviews of parsed fields on the tracker (issue 18): the consumer, the dashboard's form and the
API the corpus export reads. Called once by ``services/tracker/main.py``.

- ``POST /dashboard/dispatches/{id}/fields/{field}`` (leadership's session, its CSRF token):
  ``action`` confirm or correct, ``value`` (the corrected text); 303 back to the dispatch's page;
  a refusal is a page in words (403 bad form, 404, 422 naming the field, 503);
- ``/desk/dispatches/{id}/review`` and its form: the same for the Office's people at the desk
  (:mod:`services.tracker.corrections_desk`);
- ``GET /corrections?since=YYYY-MM-DD`` (leadership's bearer token): each reviewed dispatch with its
  reviews, its current fields (corrected) and its text, oldest review first.
"""

from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Header, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import RedirectResponse, Response
from faststream.kafka import KafkaBroker

from services.tracker.access import AccessControl
from services.tracker.corrections import CORRECTABLE
from services.tracker.corrections_desk import desk_review_pages
from services.tracker.corrections_flow import Refused, Reviews, register_reviews
from services.tracker.dashboard import auth
from services.tracker.dashboard.labels import when
from services.tracker.dashboard.render import render
from services.tracker.dashboard.signin import SignIn, Viewer
from services.tracker.desk.signin import DeskSignIn
from services.tracker.repository import TrackerRepository
from services.tracker.repository.corrections import CorrectionsRepository
from services.tracker.settings import TrackerSettings
from shared.clock import VIETNAM_TZ, Clock
from shared.organisation import load_organisation

Short = Annotated[str, Form(max_length=200)]
Value = Annotated[str, Form(max_length=4000)]
EXPIRED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang văn bản."


def reviewed_dispatches(reviews: list[dict[str, Any]],
                        dispatches: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each dispatch with at least one correction: its reviews (oldest first), its current
    fields and its text. Pure."""
    by_dispatch: dict[str, list[dict[str, Any]]] = {}
    for review in reviews:
        by_dispatch.setdefault(review["dispatch_id"], []).append(
            {k: review.get(k) for k in ("field", "review", "before", "after", "corrected_by",
                                        "occurred_at")})
    shown = []
    for dispatch_id, items in by_dispatch.items():
        doc = dispatches.get(dispatch_id)
        if doc is None or not any(r["review"] == "corrected" for r in items):
            continue
        shown.append({"dispatch_id": dispatch_id, "received_at": doc.get("received_at"),
                      "source_system": doc.get("source_system"), "reviews": items,
                      "fields": {k: doc.get(k) for k in CORRECTABLE},
                      "parsed_fields": doc.get("parsed_fields") or [], "text": doc.get("body")})
    return shown


def corrections_routes(reviews: Reviews, store: CorrectionsRepository, signin: SignIn,
                       access: AccessControl, clock: Clock) -> APIRouter:
    """The review form's route and ``GET /corrections``."""
    router = APIRouter()

    async def leader(request: Request) -> Viewer:
        who = await signin.viewer(request)
        if who is None:
            raise HTTPException(303, detail="đăng nhập",
                                headers={"Location": auth.login_url(request.url.path)})
        return who

    def refused(who: Viewer, dispatch_id: str, status: int, reason: str) -> Response:
        return render("review_refused.html.j2", {
            "who": who.name, "csrf": who.csrf, "now": when(clock.now()), "refresh": 600,
            "units": {}, "dispatch_id": dispatch_id, "reason": reason}, status_code=status)

    @router.post(auth.PREFIX + "/dispatches/{dispatch_id}/fields/{field}",
                 include_in_schema=False)
    async def review(dispatch_id: str, field: str, who: Annotated[Viewer, Depends(leader)],
                     action: Short = "", value: Value = "", csrf: Short = "") -> Response:
        if not auth.same_secret(who.csrf, csrf):
            return refused(who, dispatch_id, 403, EXPIRED)
        if action not in ("confirm", "correct"):
            return refused(who, dispatch_id, 422, "Chọn xác nhận hoặc sửa.")
        try:
            await reviews.review(dispatch_id=dispatch_id, field=field, confirm=action == "confirm",
                                 typed=value, by=who.name)
        except Refused as no:
            return refused(who, dispatch_id, no.status, no.reason)
        return RedirectResponse(f"{auth.PREFIX}/dispatches/{dispatch_id}?reviewed={field}",
                                status_code=303)

    @router.get("/corrections", tags=["corrections"])
    async def listed(authorization: Annotated[str | None, Header()] = None,
                     since: Annotated[date | None, Query(
                         description="Reviews on or after this day (Vietnam time).")] = None,
                     ) -> Any:
        """Reviewed dispatches with a correction: reviews, corrected fields, text (leadership)."""
        if not access.caller(authorization).leadership:
            raise HTTPException(403, detail="only leadership may read the corrections")
        start = datetime.combine(since, time(), VIETNAM_TZ) if since else None
        found = await store.listed(since=start)
        ids = list(dict.fromkeys(r["dispatch_id"] for r in found))
        docs = {i: view["dispatch"] for i in ids
                if (view := await reviews.repo.dispatch_view(i)) is not None}
        return jsonable_encoder({"dispatches": reviewed_dispatches(found, docs)})

    return router


def mount_corrections(app: FastAPI, repo: TrackerRepository, store: CorrectionsRepository,
                      broker: KafkaBroker, clock: Clock, settings: TrackerSettings,
                      access: AccessControl, signin: SignIn,
                      desk_signin: DeskSignIn | None = None) -> Reviews:
    """Subscribe the consumer, include the routes (the Office's desk page when ``desk_signin`` is
    given); return the one path of reviewing."""
    reviews = Reviews(repo, store, broker, clock)
    register_reviews(broker, settings.handler_max_attempts, reviews)
    app.include_router(corrections_routes(reviews, store, signin, access, clock))
    if desk_signin is not None:
        organisation = load_organisation(settings.config_path(settings.organisation_file))
        app.include_router(desk_review_pages(
            reviews, desk_signin, {unit.code: unit.name for unit in organisation.units},
            settings.tracker_review_threshold))
    return reviews
