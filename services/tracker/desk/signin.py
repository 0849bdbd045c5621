"""Signing in to the desk with a login and a password (form fields ``login`` and ``password``).

The same rules as the dashboard's sign-in (``services.tracker.dashboard.signin``), with its pieces
(:class:`~services.tracker.dashboard.cookie_signin.CookieSignIn`): server-side sessions
(:class:`~services.tracker.dashboard.sessions.Sessions`, kept in the desk's own collection, so a
desk session never opens the dashboard), an HttpOnly, SameSite=Strict cookie scoped
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

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.tracker.dashboard import auth
from services.tracker.dashboard.cookie_signin import CookieSignIn
from services.tracker.dashboard.sessions import Sessions
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


def login_url(next_path: str) -> str:
    """The desk's login page, remembering the page asked for."""
    return auth.login_url(next_path, PREFIX)


class DeskSignIn(CookieSignIn):
    """The desk's sign-in: people's passwords, sessions, throttling, CSRF, cookie flags."""

    def __init__(self, people: PeopleRepository, throttle: LoginThrottle, *, ttl_s: int,
                 trusted_proxy: bool, monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(Sessions(people, ttl_s), throttle, prefix=PREFIX, cookie=COOKIE,
                         csrf_cookie=CSRF_COOKIE, render=render, ttl_s=ttl_s,
                         trusted_proxy=trusted_proxy, monotonic=monotonic)
        self.people = people

    async def user(self, request: Request) -> DeskUser | None:
        """The enabled person behind the request's session cookie, or None."""
        session = await self.sessions.resolve(request.cookies.get(COOKIE))
        if session is None:
            return None
        person = await self.people.person(session.leader)
        return None if person is None or person.disabled else DeskUser(person, session.csrf)

    def router(self) -> APIRouter:
        """``/login`` (form and post) and ``/logout``, to include under ``/desk``."""
        router = super().router()

        @router.post("/login")
        async def login(request: Request, login: Annotated[str, Form(max_length=100)],
                        password: Annotated[str, Form(max_length=500)],
                        csrf: Annotated[str, Form(max_length=200)] = "",
                        next: Annotated[str, Form(max_length=2000)] = PREFIX) -> Response:
            if (wait := self.retry_after(request)) is not None:
                return self.refused_for_now(request, wait, next)
            if not self.form_posted(request, csrf):
                return self.login_page(request, next, BAD_FORM, 403)
            person = await self.people.person(login.strip().lower())
            if not may_sign_in(person, password) or person is None:
                self.failed(request)
                return self.login_page(request, next, WRONG, 401)
            return await self.signed_in(request, person.login, next)

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
