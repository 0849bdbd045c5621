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
from services.tracker.dashboard.render import render
from services.tracker.dashboard.sessions import Sessions, new_secret
from services.tracker.dashboard.throttle import LoginThrottle

WRONG_TOKEN = "Mã truy cập không đúng hoặc không phải của Lãnh đạo Sở."
BAD_FORM = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng thử đăng nhập lại."


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a leader, with the CSRF token of their session's forms ("" for a bearer
    token, which needs none)."""

    name: str
    csrf: str


def _too_many(retry_after: int) -> str:
    minutes = max(1, -(-retry_after // 60))
    return f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."


class SignIn:
    """The dashboard's sign-in: sessions, login throttling, CSRF, cookie flags."""

    def __init__(self, access: AccessControl, sessions: Sessions, throttle: LoginThrottle, *,
                 ttl_s: int, trusted_proxy: bool,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.access, self.sessions, self.throttle = access, sessions, throttle
        self.ttl_s, self.trusted_proxy, self._monotonic = ttl_s, trusted_proxy, monotonic

    async def viewer(self, request: Request) -> Viewer | None:
        """The leader behind a request (bearer header first, then the session cookie), or None."""
        header = request.headers.get("authorization")
        if header:
            leader = auth.leader_for(self.access, header)
            return Viewer(leader.name, "") if leader else None
        session = await self.sessions.resolve(request.cookies.get(auth.COOKIE))
        return Viewer(session.leader, session.csrf) if session else None

    def retry_after(self, request: Request) -> int | None:
        """Seconds this client must wait before trying to log in again, or None."""
        return self.throttle.retry_after(self._address(request), self._monotonic())

    def throttled(self, request: Request) -> Response | None:
        """The 429 answer to a login attempt from a throttled address, or None."""
        wait = self.retry_after(request)
        return None if wait is None else self.refused_for_now(request, wait, None)

    def _address(self, request: Request) -> str:
        return auth.client_address(request, self.trusted_proxy)

    def _cookie(self, response: Response, request: Request, name: str, value: str,
                max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path=auth.PREFIX, httponly=True,
                            samesite="strict", secure=auth.over_tls(request, self.trusted_proxy))

    def login_page(self, request: Request, next_path: str | None, error: str | None = None,
                   status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
        """The login form with a fresh CSRF token (in the form and in its cookie)."""
        csrf = new_secret()
        response = render("login.html.j2", {"next": auth.safe_next(next_path), "error": error,
                                             "csrf": csrf}, status_code=status_code)
        response.headers.update(headers or {})
        self._cookie(response, request, auth.CSRF_COOKIE, csrf, 3600)
        return response

    def refused_for_now(self, request: Request, retry_after: int, next_path: str | None
                        ) -> Response:
        """429 with Retry-After, in words."""
        return self.login_page(request, next_path, _too_many(retry_after), 429,
                               {"Retry-After": str(retry_after)})

    def router(self) -> APIRouter:
        """``/login`` (form and post) and ``/logout``, to include under ``/dashboard``."""
        router = APIRouter()

        @router.get("/login")
        async def login_form(request: Request, next: str | None = None) -> Response:
            return self.login_page(request, next)

        @router.post("/login")
        async def login(request: Request, token: Annotated[str, Form(max_length=500)],
                        csrf: Annotated[str, Form(max_length=200)] = "",
                        next: Annotated[str, Form(max_length=2000)] = auth.PREFIX) -> Response:
            if (wait := self.retry_after(request)) is not None:
                return self.refused_for_now(request, wait, next)
            if not auth.same_secret(request.cookies.get(auth.CSRF_COOKIE), csrf):
                return self.login_page(request, next, BAD_FORM, 403)
            leader = auth.leader_for(self.access, f"Bearer {token.strip()}")
            if leader is None:
                self.throttle.failed(self._address(request), self._monotonic())
                return self.login_page(request, next, WRONG_TOKEN, 401)
            self.throttle.succeeded(self._address(request))
            session_id, _ = await self.sessions.create(leader.name)
            response = RedirectResponse(auth.safe_next(next), status_code=303)
            self._cookie(response, request, auth.COOKIE, session_id, self.ttl_s)
            response.delete_cookie(auth.CSRF_COOKIE, path=auth.PREFIX)
            return response

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
