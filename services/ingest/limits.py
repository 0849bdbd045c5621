"""Request guards that run before any parsing: body size (413) and content type (415)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

Scope = dict[str, Any]
ASGIApp = Callable[..., Any]


class BodyTooLarge(Exception):
    """The request body exceeded the cap for its route."""


class RequestGuard:
    """ASGI middleware: caps body sizes per path and checks content types per path.

    ``limits`` maps a path to (max bytes, allowed content type prefix). Streams are counted as they
    arrive, so a lying or absent Content-Length cannot get past the cap.
    """

    def __init__(self, app: ASGIApp, limits: Mapping[str, tuple[int, str]]) -> None:
        self.app = app
        self.limits = dict(limits)

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        rule = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if rule is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        max_bytes, content_type = rule
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        given = headers.get("content-type", "").split(";")[0].strip().lower()
        if given != content_type:
            await _reply(send, 415, f"content type must be {content_type}, not {given or 'absent'}")
            return
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await _reply(send, 413, f"request body exceeds {max_bytes} bytes")
            return
        seen = 0

        async def counting_receive() -> dict[str, Any]:
            nonlocal seen
            message: dict[str, Any] = await receive()
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await _reply(send, 413, f"request body exceeds {max_bytes} bytes")


async def _reply(send: Callable[..., Any], status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
