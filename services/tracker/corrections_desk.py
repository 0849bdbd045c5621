"""The Office's people review parsed fields at the desk (issue 18).

A person with the role văn phòng (``Role.OFFICE``), signed in at ``/desk``, gets the dispatch's
fields with the same marks as the dashboard ("cần kiểm tra", the confidence) and the same
confirm/correct form, on any dispatch (the Office triages them all):

- ``GET /desk/dispatches/{id}/review``;
- ``POST /desk/dispatches/{id}/fields/{field}`` (the desk session's CSRF token): the same path as
  leadership's (:class:`services.tracker.corrections_flow.Reviews`), signed with the person's name.

Anyone else at the desk is refused in words (403).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from services.tracker.corrections_flow import Refused, Reviews
from services.tracker.dashboard import auth, dispatch_page, review
from services.tracker.desk import render as desk_render
from services.tracker.desk.signin import DeskSignIn, DeskUser
from services.tracker.desk.unit_requests import signed_in
from services.tracker.people import Role

Short = Annotated[str, Form(max_length=200)]
Value = Annotated[str, Form(max_length=4000)]
OFFICE_ONLY = "Chỉ Văn phòng Sở xác nhận hoặc sửa các trường do máy đọc."


def desk_review_pages(reviews: Reviews, desk_signin: DeskSignIn, names: dict[str, str],
                      threshold: float) -> APIRouter:
    """The Office's review page and form at the desk."""
    router = APIRouter(include_in_schema=False)
    person = signed_in(desk_signin)

    def refused(user: DeskUser, status: int, reason: str) -> Response:
        return desk_render.render("refused.html.j2", {
            "me": user.person, "csrf": user.csrf, "units": names, "reason": reason},
            status_code=status)

    async def page(user: DeskUser, dispatch_id: str) -> Response:
        view = await reviews.repo.dispatch_view(dispatch_id)
        if view is None or "source_system" not in view["dispatch"]:
            return refused(user, 404, "Không tìm thấy văn bản.")
        doc = view["dispatch"]
        found = review.marks(doc, threshold)
        return desk_render.render("review.html.j2", {
            "me": user.person, "csrf": user.csrf, "units": names, "dispatch_id": dispatch_id,
            "doc": doc, "fields": dispatch_page.dispatch_fields(doc), "marks": found,
            "to_check": review.to_check(found)})

    @router.get("/desk/dispatches/{dispatch_id}/review")
    async def desk_review(dispatch_id: str, user: Annotated[DeskUser, Depends(person)]
                          ) -> Response:
        if user.person.role is not Role.OFFICE:
            return refused(user, 403, OFFICE_ONLY)
        return await page(user, dispatch_id)

    @router.post("/desk/dispatches/{dispatch_id}/fields/{field}")
    async def desk_correct(dispatch_id: str, field: str,
                           user: Annotated[DeskUser, Depends(person)], action: Short = "",
                           value: Value = "", csrf: Short = "") -> Response:
        me = user.person
        if me.role is not Role.OFFICE:
            return refused(user, 403, OFFICE_ONLY)
        if not auth.same_secret(user.csrf, csrf):
            return refused(user, 403, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại "
                                      "trang.")
        if action not in ("confirm", "correct"):
            return refused(user, 422, "Chọn xác nhận hoặc sửa.")
        try:
            await reviews.review(dispatch_id=dispatch_id, field=field,
                                 confirm=action == "confirm", typed=value,
                                 by=f"{me.name} (Văn phòng)")
        except Refused as no:
            return refused(user, no.status, no.reason)
        return RedirectResponse(f"/desk/dispatches/{dispatch_id}/review?reviewed={field}",
                                status_code=303)

    return router
