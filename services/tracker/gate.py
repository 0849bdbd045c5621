"""Credentials before the body: the tracker refuses a state-changing request that carries no valid
credentials before it reads a byte of its body.

FastAPI reads (and parses) a request body before it runs the dependencies that check the token, so
without this gate 200 MB of JSON without a token were read in full before the 401. This pure ASGI
middleware looks only at the headers: a POST/PUT/PATCH/DELETE to the JSON API (everything except the
dashboard's own forms and the test clock) must carry the bearer token of a unit or of leadership;
otherwise it answers 401 at once, in FastAPI's error shape, and closes the connection. The login
form, which has no credentials by nature, is answered 429 here (the login page, in words) while
its address is throttled.
The routes still check who may do what; the gate only decides whether anyone is asking.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response

from services.tracker.access import AccessControl
from services.tracker.dashboard import auth
from services.tracker.desk import signin as desk

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PREFIXES = (f"{auth.PREFIX}/", "/desk/", "/clock/")
"""State-changing paths the gate leaves to their routes: the dashboard's and the desk's forms
(session cookie and CSRF token, see ``services.tracker.dashboard.signin`` and
``services.tracker.desk.signin``) and the test clock (off in production)."""


class CredentialsFirst:
    """ASGI middleware: no valid bearer token on a state-changing API request → 401, body unread."""

    def __init__(self, app: ASGIApp, access: AccessControl,
                 throttled: Callable[[Request], Response | None] | None = None) -> None:
        self.app, self.access, self.throttled = app, access, throttled

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive,
                       send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        request = Request(scope)  # headers only: never given ``receive``
        if path == f"{auth.PREFIX}/login" and self.throttled is not None:
            refusal = self.throttled(request)  # the login page, 429, in words
            if refusal is not None:
                refusal.headers["Connection"] = "close"
                await refusal(scope, receive, send)  # a plain Response never calls receive
                return
        if path.startswith(f"{desk.PREFIX}/") and path != f"{desk.PREFIX}/login" \
                and desk.COOKIE not in request.cookies:
            await _refuse(send, 401, ("cookie", desk.COOKIE), "unauthorized",
                          "đăng nhập bàn làm việc trước (chưa có phiên)", {})
            return  # a desk form (a reply file, up to 20 MB) is never read without a session
        if path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        try:
            self.access.caller(request.headers.get("authorization"))
        except HTTPException:
            await _refuse(send, 401, ("header", "authorization"), "unauthorized",
                          "missing or unknown bearer token", {"WWW-Authenticate": "Bearer"})
            return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, loc: tuple[str, ...], type_: str, msg: str,
                  headers: dict[str, str]) -> None:
    body = json.dumps({"detail": [{"loc": list(loc), "msg": msg, "type": type_}]},
                      ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close"), *((k.lower().encode(), v.encode()) for k, v in headers.items())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
