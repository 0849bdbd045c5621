"""Signing in to the desk with a login and a password (form fields ``login`` and ``password``).

The same rules as the dashboard's sign-in (``services.tracker.dashboard.signin``), with its pieces:
server-side sessions (:class:`~services.tracker.dashboard.sessions.Sessions`, kept in the desk's own
collection, so a desk session never opens the dashboard), an HttpOnly, SameSite=Strict cookie scoped
to ``/desk`` (Secure over TLS), a double-submit CSRF token on the login form and the session's token
on every other form, and wrong logins throttled per address
(:class:`~services.tracker.dashboard.throttle.LoginThrottle`). A disabled account cannot sign in,
and a session stops working as soon as its account is disabled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.tracker.dashboard import auth
from services.tracker.dashboard.sessions import Sessions, new_secret
from services.tracker.dashboard.signin import BAD_FORM
from services.tracker.dashboard.throttle import LoginThrottle
from services.tracker.desk.render import render
from services.tracker.people import Person, may_sign_in
from services.tracker.repository.people import PeopleRepository

PREFIX = "/desk"
COOKIE = "vanthu_desk_session"
CSRF_COOKIE = "vanthu_desk_login_csrf"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."


@dataclass(frozen=True)
class DeskUser:
    """Who is at the desk, with the CSRF token of their session's forms."""

    person: Person
    csrf: str


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a desk path only (no open redirect)."""
    if value and value.startswith(PREFIX) and not value.startswith("//") and "\\" not in value:
        return value
    return PREFIX


def login_url(next_path: str) -> str:
    """The login page, remembering the page asked for."""
    return f"{PREFIX}/login?next={quote(next_path, safe='/')}"


class DeskSignIn:
    """The desk's sign-in: people's passwords, sessions, throttling, CSRF, cookie flags."""

    def __init__(self, people: PeopleRepository, throttle: LoginThrottle, *, ttl_s: int,
                 trusted_proxy: bool, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.people, self.sessions, self.throttle = people, Sessions(people, ttl_s), throttle
        self.ttl_s, self.trusted_proxy, self._monotonic = ttl_s, trusted_proxy, monotonic

    async def user(self, request: Request) -> DeskUser | None:
        """The enabled person behind the request's session cookie, or None."""
        session = await self.sessions.resolve(request.cookies.get(COOKIE))
        if session is None:
            return None
        person = await self.people.person(session.leader)
        return None if person is None or person.disabled else DeskUser(person, session.csrf)

    def _address(self, request: Request) -> str:
        return auth.client_address(request, self.trusted_proxy)

    def _cookie(self, response: Response, request: Request, name: str, value: str,
                max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True,
                            samesite="strict", secure=auth.over_tls(request, self.trusted_proxy))

    def login_page(self, request: Request, next_path: str | None, error: str | None = None,
                   status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
        """The login form with a fresh CSRF token (in the form and in its cookie)."""
        csrf = new_secret()
        response = render("login.html.j2", {"next": safe_next(next_path), "error": error,
                                             "csrf": csrf}, status_code=status_code)
        response.headers.update(headers or {})
        self._cookie(response, request, CSRF_COOKIE, csrf, 3600)
        return response

    def router(self) -> APIRouter:
        """``/login`` (form and post) and ``/logout``, to include under ``/desk``."""
        router = APIRouter()

        @router.get("/login")
        async def login_form(request: Request, next: str | None = None) -> Response:
            return self.login_page(request, next)

        @router.post("/login")
        async def login(request: Request, login: Annotated[str, Form(max_length=100)],
                        password: Annotated[str, Form(max_length=500)],
                        csrf: Annotated[str, Form(max_length=200)] = "",
                        next: Annotated[str, Form(max_length=2000)] = PREFIX) -> Response:
            address = self._address(request)
            wait = self.throttle.retry_after(address, self._monotonic())
            if wait is not None:
                minutes = max(1, -(-wait // 60))
                return self.login_page(
                    request, next, f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} "
                    "phút.", 429, {"Retry-After": str(wait)})
            if not auth.same_secret(request.cookies.get(CSRF_COOKIE), csrf):
                return self.login_page(request, next, BAD_FORM, 403)
            person = await self.people.person(login.strip().lower())
            if not may_sign_in(person, password) or person is None:
                self.throttle.failed(address, self._monotonic())
                return self.login_page(request, next, WRONG, 401)
            self.throttle.succeeded(address)
            session_id, _ = await self.sessions.create(person.login)
            response = RedirectResponse(safe_next(next), status_code=303)
            self._cookie(response, request, COOKIE, session_id, self.ttl_s)
            response.delete_cookie(CSRF_COOKIE, path=PREFIX)
            return response

        @router.post("/logout")
        async def logout(request: Request,
                         csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
            session_id = request.cookies.get(COOKIE)
            session = await self.sessions.resolve(session_id)
            if session is not None and auth.same_secret(session.csrf, csrf):
                await self.sessions.revoke(session_id)
            response = RedirectResponse(f"{PREFIX}/login", status_code=303)
            response.delete_cookie(COOKIE, path=PREFIX)
            return response

        return router
