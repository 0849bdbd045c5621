"""Dashboard sessions: server-side and revocable, never an API token, CSRF on every form, login
throttling with 429, Secure cookies behind a trusted TLS proxy only.

Before the fix the cookie held the leadership token itself: logout could not revoke it, it worked as
a bearer token, forms had no CSRF token and wrong logins were never throttled.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.tracker.access import AccessControl
from services.tracker.api import tracker_router
from services.tracker.dashboard import auth, dashboard_router
from services.tracker.settings import TrackerSettings
from shared.clock import SystemClock
from shared.tokens import hash_secret
from tests.service.tracker_fakes import (
    InMemoryTrackerRepository,
    RecordingBroker,
    repository_with_one_assignment,
)

LEADER = "leader-token-of-the-director"
ACCESS = AccessControl(f"QLTM:{hash_secret('qltm')}", f"director:{hash_secret(LEADER)}")


def _app(**settings: Any) -> tuple[FastAPI, InMemoryTrackerRepository]:
    repo = repository_with_one_assignment()
    app = FastAPI()
    app.include_router(tracker_router(repo, RecordingBroker(), ACCESS, SystemClock()))  # type: ignore[arg-type]
    app.include_router(dashboard_router(repo, ACCESS, SystemClock(),  # type: ignore[arg-type]
                                        TrackerSettings(**settings)))
    return app, repo


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app, _ = _app(tracker_login_max_failures=3, tracker_login_window_s=600)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tracker") as c:
        yield c


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden {name} field"
    return found.group(1)


async def _login(client: httpx.AsyncClient, token: str = LEADER, **override: str) -> httpx.Response:
    form = await client.get("/dashboard/login")
    data = {"token": token, "csrf": _hidden(form.text, "csrf"), "next": "/dashboard/overdue",
            **override}
    return await client.post("/dashboard/login", data=data)


async def test_a_session_is_revoked_at_logout(client: httpx.AsyncClient) -> None:
    signed_in = await _login(client)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/dashboard/overdue"
    session_id = client.cookies[auth.COOKIE]
    assert LEADER not in signed_in.headers["set-cookie"]  # the token never goes into a cookie
    page = await client.get("/dashboard/overdue")
    assert page.status_code == 200 and "director" in page.text
    out = await client.post("/dashboard/logout", data={"csrf": _hidden(page.text, "csrf")})
    assert out.status_code == 303
    # the old cookie value, replayed, opens nothing any more
    client.cookies.clear()
    client.cookies.set(auth.COOKIE, session_id)
    replay = await client.get("/dashboard/overdue")
    assert replay.status_code == 303 and "/dashboard/login" in replay.headers["location"]
    fragment = await client.get("/dashboard/overdue?fragment=1")
    assert fragment.status_code == 401


async def test_the_session_cookie_is_not_a_bearer_token(client: httpx.AsyncClient) -> None:
    await _login(client)
    session_id = client.cookies[auth.COOKIE]
    client.cookies.clear()
    for path in ("/dispatches/d1", "/reports/on-time", "/dashboard/overdue?fragment=1"):
        refused = await client.get(path, headers={"Authorization": f"Bearer {session_id}"})
        assert refused.status_code == 401, path
    assert (await client.get("/dispatches/d1", headers={"Authorization": f"Bearer {LEADER}"})
            ).status_code == 200


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
async def test_forms_without_the_right_csrf_token_are_refused(client: httpx.AsyncClient,
                                                              csrf: str | None) -> None:
    form = await client.get("/dashboard/login")
    data = {"token": LEADER, **({} if csrf is None else {"csrf": csrf})}
    login = await client.post("/dashboard/login", data=data)
    assert login.status_code == 403 and auth.COOKIE not in client.cookies
    assert "Biểu mẫu đã hết hạn" in login.text
    # no double-submit cookie at all (a cross-site form): refused, even with the field
    client.cookies.clear()
    assert (await client.post("/dashboard/login", data={"token": LEADER, "csrf": _hidden(
        form.text, "csrf")})).status_code == 403

    await _login(client)
    page = await client.get("/dashboard/overdue")
    logout = await client.post("/dashboard/logout", data={} if csrf is None else {"csrf": csrf})
    assert logout.status_code == 403 and "csrf" in str(logout.json()["detail"])
    assert (await client.get("/dashboard/overdue")).status_code == 200  # still signed in
    assert (await client.post("/dashboard/logout", data={"csrf": _hidden(page.text, "csrf")})
            ).status_code == 303


async def test_login_is_throttled_after_n_failures(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        assert (await _login(client, "wrong")).status_code == 401
    blocked = await _login(client)  # even the right token, from this address, for now
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 600
    assert "Đăng nhập sai quá nhiều lần" in blocked.text and "10 phút" in blocked.text
    assert auth.COOKIE not in client.cookies


@pytest.mark.parametrize(("trusted", "base", "proto", "secure"), [
    (False, "http://tracker", None, False),
    (False, "http://tracker", "https", False),  # anyone can send the header
    (True, "http://tracker", "https", True),
    (True, "http://tracker", "http", False),
    (False, "https://tracker", None, True),  # TLS straight to the tracker
])
async def test_cookies_are_secure_over_tls_or_behind_a_trusted_proxy(
        trusted: bool, base: str, proto: str | None, secure: bool) -> None:
    app, _ = _app(tracker_trusted_proxy=trusted)
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base,
                                 headers=headers) as client:
        form = await client.get("/dashboard/login")
        assert ("; secure" in form.headers["set-cookie"].lower()) is secure
        client.cookies.set(auth.CSRF_COOKIE, _hidden(form.text, "csrf"))  # sent even if Secure
        signed_in = await client.post("/dashboard/login", data={
            "token": LEADER, "csrf": _hidden(form.text, "csrf")})
        assert signed_in.status_code == 303
        cookie = next(c for c in signed_in.headers.get_list("set-cookie")
                      if c.startswith(auth.COOKIE))
        assert ("; secure" in cookie.lower()) is secure
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
