"""What the desk's pages of a unit's requests on a dispatch share (issue 16): blockers
(:mod:`services.tracker.blockers_pages`) and requests for a later deadline
(:mod:`services.tracker.extensions_pages`).

Such a page is for someone signed in at the desk (else a redirect to the desk's login page, coming
back to the page). It shows the requests on the dispatch that the person may see; it is refused
(403, in words) when the person's unit neither holds the dispatch nor has a request on it they may
see; a new request may be filed by whoever may answer for the unit while its assignment is open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import Response

from services.tracker.desk import render as desk_render
from services.tracker.desk.signin import DeskSignIn, DeskUser, login_url
from services.tracker.people import Person, may_answer, may_view
from services.tracker.records import AssignmentRecord


class OfUnit(Protocol):
    """A unit's request (a blocker, a request for a later deadline)."""

    @property
    def unit_code(self) -> str: ...


class Assignments(Protocol):
    """Where a unit's assignment is read (the tracker's repository)."""

    async def assignment(self, assignment_id: str) -> AssignmentRecord | None: ...


R = TypeVar("R", bound=OfUnit)


def signed_in(desk_signin: DeskSignIn) -> Callable[[Request], Awaitable[DeskUser]]:
    """The pages' dependency: the person at the desk, else 303 to the desk's login page."""

    async def person(request: Request) -> DeskUser:
        user = await desk_signin.user(request)
        if user is None:
            raise HTTPException(303, detail="đăng nhập",
                                headers={"Location": login_url(request.url.path)})
        return user

    return person


@dataclass(frozen=True)
class UnitShare(Generic[R]):
    """What one person sees of a dispatch's requests, and whether they may file one."""

    requests: list[R]
    own: AssignmentRecord | None
    """The person's unit's assignment on the dispatch, if it holds it."""
    may_file: bool


async def unit_share(me: Person, dispatch_id: str, requests: list[R],
                     assignments: Assignments) -> UnitShare[R] | None:
    """The dispatch's ``requests`` that ``me`` may see, their unit's assignment and whether they
    may file a new request; None when their unit has neither (the page is refused)."""
    seen = [r for r in requests if may_view(me, r.unit_code) is None]
    own = await assignments.assignment(f"{dispatch_id}:{me.unit_code}")
    if own is None and not seen:
        return None
    return UnitShare(seen, own, own is not None and not own.closed
                     and may_answer(me, me.unit_code) is None)


def not_assigned(user: DeskUser, names: Mapping[str, str]) -> Response:
    """403: the dispatch is not the person's unit's, in words."""
    me = user.person
    return desk_render.render("refused.html.j2", {
        "me": me, "csrf": user.csrf, "units": names,
        "reason": f"Văn bản này không giao cho đơn vị của bạn ({me.unit_code})."}, status_code=403)
