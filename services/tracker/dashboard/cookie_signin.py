"""What the dashboard's and the desk's sign-ins share (see ``auth`` for the rules): a login form
posted to a server-side session whose id travels in an HttpOnly, SameSite=Strict cookie scoped to
one path (``/dashboard``, ``/desk``), Secure over TLS.

The login form carries a fresh CSRF token, also in its own cookie (double submit); an address with
too many recent wrong logins gets the form again with 429 and ``Retry-After``, in words; a right
login opens a session, sets its cookie, drops the form's cookie and goes on to the page asked for
(a path under the same prefix only). What is checked at login, and what a session opens, is each
sign-in's own (:mod:`services.tracker.dashboard.signin`, :mod:`services.tracker.desk.signin`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.tracker.dashboard import auth
from services.tracker.dashboard.sessions import Sessions, new_secret
from services.tracker.dashboard.throttle import LoginThrottle

Render = Callable[..., Response]
"""A section's page renderer: ``render(template, context, status_code=...)``."""


def too_many(retry_after: int) -> str:
    """Why a throttled address must wait, in whole minutes."""
    minutes = max(1, -(-retry_after // 60))
    return f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."


class CookieSignIn:
    """A sign-in by form to a session cookie under ``prefix``: the login form, throttling, the
    session's cookie."""

    def __init__(self, sessions: Sessions, throttle: LoginThrottle, *, prefix: str, cookie: str,
                 csrf_cookie: str, render: Render, ttl_s: int, trusted_proxy: bool,
                 monotonic: Callable[[], float]) -> None:
        self.sessions, self.throttle = sessions, throttle
        self.prefix, self.cookie, self.csrf_cookie, self._render = prefix, cookie, csrf_cookie, render
        self.ttl_s, self.trusted_proxy, self._monotonic = ttl_s, trusted_proxy, monotonic

    def retry_after(self, request: Request) -> int | None:
        """Seconds this client must wait before trying to log in again, or None."""
        return self.throttle.retry_after(self._address(request), self._monotonic())

    def throttled(self, request: Request) -> Response | None:
        """The 429 answer to a login attempt from a throttled address, or None."""
        wait = self.retry_after(request)
        return None if wait is None else self.refused_for_now(request, wait, None)

    def failed(self, request: Request) -> None:
        """Count a wrong login from this client's address."""
        self.throttle.failed(self._address(request), self._monotonic())

    def _address(self, request: Request) -> str:
        return auth.client_address(request, self.trusted_proxy)

    def _cookie(self, response: Response, request: Request, name: str, value: str,
                max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path=self.prefix, httponly=True,
                            samesite="strict", secure=auth.over_tls(request, self.trusted_proxy))

    def login_page(self, request: Request, next_path: str | None, error: str | None = None,
                   status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
        """The login form with a fresh CSRF token (in the form and in its cookie)."""
        csrf = new_secret()
        context: dict[str, Any] = {"next": auth.safe_next(next_path, self.prefix), "error": error,
                                   "csrf": csrf}
        response = self._render("login.html.j2", context, status_code=status_code)
        response.headers.update(headers or {})
        self._cookie(response, request, self.csrf_cookie, csrf, 3600)
        return response

    def refused_for_now(self, request: Request, retry_after: int, next_path: str | None
                        ) -> Response:
        """429 with Retry-After, in words."""
        return self.login_page(request, next_path, too_many(retry_after), 429,
                               {"Retry-After": str(retry_after)})

    def form_posted(self, request: Request, csrf: str) -> bool:
        """Whether the login form's CSRF token matches its cookie."""
        return auth.same_secret(request.cookies.get(self.csrf_cookie), csrf)

    async def signed_in(self, request: Request, who: str, next_path: str) -> Response:
        """A right login: the address's count cleared, a new session for ``who`` in its cookie, the
        form's cookie dropped, and on to ``next_path`` (under the prefix only)."""
        self.throttle.succeeded(self._address(request))
        session_id, _ = await self.sessions.create(who)
        response = RedirectResponse(auth.safe_next(next_path, self.prefix), status_code=303)
        self._cookie(response, request, self.cookie, session_id, self.ttl_s)
        response.delete_cookie(self.csrf_cookie, path=self.prefix)
        return response

    def router(self) -> APIRouter:
        """``GET /login`` (the form); each sign-in adds its ``POST /login`` and ``/logout``."""
        router = APIRouter()

        @router.get("/login")
        async def login_form(request: Request, next: str | None = None) -> Response:
            return self.login_page(request, next)

        return router
