"""Credentials before the body: the tracker refuses a state-changing request that carries no valid
credentials before it reads a byte of its body.

FastAPI reads (and parses) a request body before it runs the dependencies that check the token, so
without this gate 200 MB of JSON without a token were read in full before the 401. This pure ASGI
middleware looks only at the headers: a POST/PUT/PATCH/DELETE to the JSON API (everything except the
dashboard's own forms and the test clock) must carry the bearer token of a unit or of leadership;
otherwise it answers 401 at once, in FastAPI's error shape, and closes the connection. The login
form, which has no credentials by nature, is answered 429 here while its address is throttled.
The routes still check who may do what; the gate only decides whether anyone is asking.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request

from services.tracker.access import AccessControl
from services.tracker.dashboard import auth

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PREFIXES = (f"{auth.PREFIX}/", "/clock/")
"""State-changing paths the gate leaves to their routes: the dashboard's forms (session cookie and
CSRF token, see ``services.tracker.dashboard.signin``) and the test clock (off in production)."""


class CredentialsFirst:
    """ASGI middleware: no valid bearer token on a state-changing API request → 401, body unread."""

    def __init__(self, app: ASGIApp, access: AccessControl,
                 login_wait: Callable[[Request], int | None] | None = None) -> None:
        self.app, self.access, self.login_wait = app, access, login_wait

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive,
                       send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        request = Request(scope)  # headers only: never given ``receive``
        if path == f"{auth.PREFIX}/login" and self.login_wait is not None:
            wait = self.login_wait(request)
            if wait is not None:
                await _refuse(send, 429, ("body", "token"), "too_many_attempts",
                              f"Đăng nhập sai quá nhiều lần; thử lại sau {wait} giây.",
                              {"Retry-After": str(wait)})
                return
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
