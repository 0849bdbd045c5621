"""Signing in and out of the dashboard, and who is looking at a page (see ``auth`` for the rules).

``POST /dashboard/login`` answers, in this order: 429 with ``Retry-After`` while the client's address
has too many recent wrong logins; 403 without the login form's CSRF token (and its cookie); 401 for
a token that is not leadership's (counted); else a new session and a redirect. ``POST
/dashboard/logout`` needs the session's CSRF token (403 otherwise) and deletes the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from services.tracker.access import AccessControl
from services.tracker.dashboard import auth
from services.tracker.dashboard.cookie_signin import CookieSignIn
from services.tracker.dashboard.render import render
from services.tracker.dashboard.sessions import Sessions
from services.tracker.dashboard.throttle import LoginThrottle

WRONG_TOKEN = "Mã truy cập không đúng hoặc không phải của Lãnh đạo Sở."
BAD_FORM = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng thử đăng nhập lại."


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a leader, with the CSRF token of their session's forms ("" for a bearer
    token, which needs none)."""

    name: str
    csrf: str


class SignIn(CookieSignIn):
    """The dashboard's sign-in: leadership tokens, sessions, login throttling, CSRF, cookie flags."""

    def __init__(self, access: AccessControl, sessions: Sessions, throttle: LoginThrottle, *,
                 ttl_s: int, trusted_proxy: bool,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(sessions, throttle, prefix=auth.PREFIX, cookie=auth.COOKIE,
                         csrf_cookie=auth.CSRF_COOKIE, render=render, ttl_s=ttl_s,
                         trusted_proxy=trusted_proxy, monotonic=monotonic)
        self.access = access

    async def viewer(self, request: Request) -> Viewer | None:
        """The leader behind a request (bearer header first, then the session cookie), or None."""
        header = request.headers.get("authorization")
        if header:
            leader = auth.leader_for(self.access, header)
            return Viewer(leader.name, "") if leader else None
        session = await self.sessions.resolve(request.cookies.get(auth.COOKIE))
        return Viewer(session.leader, session.csrf) if session else None

    def router(self) -> APIRouter:
        """``/login`` (form and post) and ``/logout``, to include under ``/dashboard``."""
        router = super().router()

        @router.post("/login")
        async def login(request: Request, token: Annotated[str, Form(max_length=500)],
                        csrf: Annotated[str, Form(max_length=200)] = "",
                        next: Annotated[str, Form(max_length=2000)] = auth.PREFIX) -> Response:
            if (wait := self.retry_after(request)) is not None:
                return self.refused_for_now(request, wait, next)
            if not self.form_posted(request, csrf):
                return self.login_page(request, next, BAD_FORM, 403)
            leader = auth.leader_for(self.access, f"Bearer {token.strip()}")
            if leader is None:
                self.failed(request)
                return self.login_page(request, next, WRONG_TOKEN, 401)
            return await self.signed_in(request, leader.name, next)

        @router.post("/logout")
        async def logout(request: Request,
                         csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
            session_id = request.cookies.get(auth.COOKIE)
            session = await self.sessions.resolve(session_id)
            if session is not None:
                if not auth.same_secret(session.csrf, csrf):
                    raise HTTPException(403, detail=[{
                        "loc": ["body", "csrf"], "type": "csrf",
                        "msg": "thiếu hoặc sai mã chống giả mạo (CSRF) của phiên"}])
                await self.sessions.revoke(session_id)
            response = RedirectResponse(f"{auth.PREFIX}/login", status_code=303)
            response.delete_cookie(auth.COOKIE, path=auth.PREFIX)
            return response

        return router
