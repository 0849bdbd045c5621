"""The request guard every service runs first: header size and encoding, body size.

It is a pure ASGI middleware that ``shared.runtime.service_app`` puts outside everything else, so it
acts before routing, body parsing and authentication:

- headers larger than the cap (names and values together) get **431**; a header name or value that
  is not UTF-8 gets **400** (it used to reach code that decodes it and answer 500);
- a body whose ``Content-Length`` is over the cap gets **413** at once, without reading it;
- a body without a length (chunked) or with a lying one is counted as it arrives: when the count
  passes the cap the client gets **413** and the application sees a disconnect, so nothing it says
  afterwards (FastAPI would answer 400) reaches the client.

Refusals use FastAPI's error shape, ``{"detail": [{"loc", "msg", "type"}]}``, and close the
connection. The checks themselves (:func:`check_headers`) are pure.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from shared.logging import get_logger

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

log = get_logger("access")


@dataclass(frozen=True)
class GuardLimits:
    """What one service accepts."""

    max_body_bytes: int
    """Largest request body, counted as it arrives (413 beyond)."""
    max_header_bytes: int
    """Largest sum of header name and value lengths (431 beyond)."""
    body_caps: Mapping[str, int] = field(default_factory=dict)
    """Paths with their own body cap instead of ``max_body_bytes`` (exact match)."""

    def body_cap(self, path: str) -> int:
        """The body cap of a request to ``path``."""
        return self.body_caps.get(path, self.max_body_bytes)


@dataclass(frozen=True)
class Refusal:
    """An answer the guard gives instead of the application."""

    status: int
    loc: tuple[str, ...]
    msg: str
    type: str

    def body(self) -> bytes:
        """The JSON body, in FastAPI's ``detail`` list shape."""
        return json.dumps({"detail": [{"loc": list(self.loc), "msg": self.msg,
                                       "type": self.type}]}).encode()


def body_too_large(cap: int, *, declared: bool) -> Refusal:
    """The 413 for a body over ``cap`` bytes (declared by Content-Length, or counted)."""
    loc = ("header", "content-length") if declared else ("body",)
    return Refusal(413, loc, f"request body exceeds {cap} bytes", "body_too_large")


def check_headers(headers: Iterable[tuple[bytes, bytes]], limits: GuardLimits, path: str = ""
                  ) -> Refusal | int | None:
    """Check raw headers; return a refusal, else the declared Content-Length (or None).

    The order matters: size first (431), then encoding (400), then Content-Length (413 or 400).
    """
    pairs = list(headers)
    size = sum(len(name) + len(value) for name, value in pairs)
    if size > limits.max_header_bytes:
        return Refusal(431, ("header",), f"request headers exceed {limits.max_header_bytes} bytes",
                       "headers_too_large")
    length: int | None = None
    for raw_name, raw_value in pairs:
        name = raw_name.decode("ascii", errors="replace").lower()
        try:
            raw_name.decode("utf-8")
            raw_value.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, ("header", name), "header is not valid UTF-8", "header_encoding")
        if name == "content-length":
            text = raw_value.decode().strip()
            if not text.isdigit() or (length is not None and int(text) != length):
                return Refusal(400, ("header", name), "invalid Content-Length",
                               "content_length_invalid")
            length = int(text)
    if length is not None and length > limits.body_cap(path):
        return body_too_large(limits.body_cap(path), declared=True)
    return length


class RequestGuard:
    """ASGI middleware applying :class:`GuardLimits` to every HTTP request."""

    def __init__(self, app: ASGIApp, limits: GuardLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send
                       ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        checked = check_headers(scope.get("headers", ()), self.limits, scope.get("path", ""))
        if isinstance(checked, Refusal):
            await _refuse(scope, send, checked)
            return
        await _Exchange(self.app, self.limits, scope, receive, send).run()


class _Exchange:
    """One request under the guard: counts the body, and takes over the answer past the cap."""

    def __init__(self, app: ASGIApp, limits: GuardLimits, scope: MutableMapping[str, Any],
                 receive: Receive, send: Send) -> None:
        self.app, self.scope = app, scope
        self.cap = limits.body_cap(scope.get("path", ""))
        self._receive, self._send = receive, send
        self.seen = 0
        self.started = False  # the application began its answer
        self.refused = False  # the guard answered instead

    async def run(self) -> None:
        try:
            await self.app(self.scope, self.receive, self.send)
        except Exception:
            if not self.refused:
                raise
            # the application failed on the disconnect it was given after the 413: expected

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.cap:
                self.refused = True
                if not self.started:
                    await _refuse(self.scope, self._send, body_too_large(self.cap, declared=False))
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return  # the client already has the 413; the application's answer is dropped
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


async def _refuse(scope: MutableMapping[str, Any], send: Send, refusal: Refusal) -> None:
    body = refusal.body()
    await send({"type": "http.response.start", "status": refusal.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
    log.info("http request refused", method=scope.get("method"), path=scope.get("path"),
             status=refusal.status, reason=refusal.type)
