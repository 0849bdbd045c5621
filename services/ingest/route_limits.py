"""What each submission route accepts: its content type, and its body size.

The content type is checked here (:class:`ContentTypeGuard`, 415 before any parsing). Body sizes are
checked by ``shared.request_guard``, the outermost layer of every service, with the caps of
:func:`body_caps` (413 before the body is read): ingest does not count bodies a second time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from services.ingest.settings import IngestSettings

Scope = dict[str, Any]
ASGIApp = Callable[..., Any]

ROUTE_CONTENT_TYPES: Mapping[str, str] = {
    "/dispatches": "application/json",
    "/dispatches/batch": "application/json",
    "/dispatches/upload": "multipart/form-data",
}
"""The submission routes and the content type each accepts (POST only)."""


def body_caps(settings: IngestSettings) -> dict[str, int]:
    """Each submission route's body cap, for the shared request guard (413 beyond)."""
    return {"/dispatches": settings.ingest_max_json_bytes,
            "/dispatches/batch": settings.ingest_max_file_bytes,
            "/dispatches/upload": settings.ingest_max_file_bytes}


class ContentTypeGuard:
    """ASGI middleware: a POST to a route of ``content_types`` must carry that content type (415)."""

    def __init__(self, app: ASGIApp, content_types: Mapping[str, str] = ROUTE_CONTENT_TYPES) -> None:
        self.app = app
        self.content_types = dict(content_types)

    async def __call__(self, scope: Scope, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        expected = self.content_types.get(scope.get("path", "")) if scope["type"] == "http" else None
        if expected is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        given = headers.get("content-type", "").split(";")[0].strip().lower()
        if given != expected:
            await _reply(send, 415, f"content type must be {expected}, not {given or 'absent'}")
            return
        await self.app(scope, receive, send)


async def _reply(send: Callable[..., Any], status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
