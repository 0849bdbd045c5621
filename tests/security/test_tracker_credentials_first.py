"""The tracker refuses an unauthenticated state-changing request before it reads the body.

Before the fix FastAPI read (and parsed) the whole body before the token was checked: 200 MB of JSON
without a token reached 708 MB of memory before the 401, and a slow sender held a worker meanwhile.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from services.tracker.access import AccessControl
from services.tracker.api import tracker_router
from services.tracker.dashboard import make_signin
from services.tracker.gate import CredentialsFirst
from services.tracker.settings import TrackerSettings
from shared.clock import SystemClock
from shared.tokens import hash_secret
from tests.service.tracker_fakes import (
    InMemoryTrackerRepository,
    RecordingBroker,
    repository_with_one_assignment,
)
from tools.infra.paths import free_port

ACCESS = AccessControl(f"QLTM:{hash_secret('qltm')}", f"director:{hash_secret('leader')}")
HUGE = 200_000_000
RESPOND = "/dispatches/d1/units/QLTM/responses"


def _app() -> FastAPI:
    repo = repository_with_one_assignment()
    app = FastAPI()
    app.include_router(tracker_router(repo, RecordingBroker(), ACCESS, SystemClock()))  # type: ignore[arg-type]
    app.add_middleware(CredentialsFirst, access=ACCESS)  # as services/tracker/main.py does
    return app


async def _call(path: str, authorization: str | None, body: bytes,
                length: int) -> tuple[int, int, bytes]:
    """Call the app directly; return (status, how many body chunks it pulled, response body)."""
    headers = [(b"content-type", b"application/json"), (b"content-length", str(length).encode())]
    if authorization:
        headers.append((b"authorization", authorization.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
             "server": ("tracker", 80)}
    pulled, sent = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await _app()(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, pulled, b"".join(m.get("body", b"") for m in sent)


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic cWx0bTpx"])
@pytest.mark.parametrize("path", [RESPOND, "/dispatches/d1/override"])
async def test_no_valid_token_is_refused_before_the_body_is_read(path: str,
                                                                 authorization: str | None) -> None:
    status, pulled, body = await _call(path, authorization, b"{}", HUGE)
    assert status == 401 and pulled == 0
    assert b'"loc": ["header", "authorization"]' in body


async def test_a_valid_token_goes_on_to_the_route() -> None:
    status, pulled, _ = await _call(RESPOND, "Bearer qltm", b'{"action": "acknowledge"}', 25)
    assert (status, pulled) == (202, 1)
    status, pulled, _ = await _call("/dispatches/d1/override", "Bearer qltm", b"{}", 2)
    assert status in (403, 422) and pulled >= 1  # a unit: the route decides, after reading


@pytest.fixture
def server() -> Iterator[int]:
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(_app(), host="127.0.0.1", port=port, log_config=None,
                                        lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.02)
    yield port
    srv.should_exit = True
    thread.join(10)


def test_a_slow_large_body_without_a_token_gets_401_at_once(server: int) -> None:
    head = (f"POST {RESPOND} HTTP/1.1\r\nHost: tracker\r\nContent-Type: application/json\r\n"
            f"Content-Length: {HUGE}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(head + b'{"action": "complete", "note": "' + b"x" * 65_536)
        started = time.monotonic()
        answer = sock.recv(4096)  # the rest of the 200 MB is never sent
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 401"), answer[:100]
    assert b"connection: close" in answer.lower()
    assert waited < 2.0


async def test_a_throttled_login_is_refused_before_its_body() -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    app = _app()
    signin = make_signin(InMemoryTrackerRepository(), ACCESS, TrackerSettings(
        tracker_login_max_failures=1))  # type: ignore[arg-type]
    signin.throttle.failed("10.0.0.9", time.monotonic())
    gate = CredentialsFirst(app, ACCESS, throttled=signin.throttled)
    await gate({"type": "http", "method": "POST", "path": "/dashboard/login", "headers": [],
                "query_string": b"", "client": ("10.0.0.9", 1)}, receive, send)
    assert sent[0]["status"] == 429 and (b"connection", b"close") in sent[0]["headers"]
    assert 0 < int(dict(sent[0]["headers"])[b"retry-after"]) <= 900
    assert "Đăng nhập sai quá nhiều lần" in b"".join(m.get("body", b"") for m in sent).decode()


@pytest.mark.parametrize("path", ["/desk/respond", "/desk/handover", "/desk/logout"])
async def test_a_desk_form_without_a_session_cookie_is_refused_before_its_body(path: str) -> None:
    """A reply file may be 20 MB: without a desk session cookie not a byte of it is read."""
    status, pulled, body = await _call(path, None, b"x", HUGE)
    assert status == 401 and pulled == 0
    assert b'"loc": ["cookie", "vanthu_desk_session"]' in body
