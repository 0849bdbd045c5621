"""What ``service_app`` gives every service: docs switch, the guard outermost, the secrets check."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.router.settings import RouterSettings
from services.tracker.settings import TrackerSettings
from shared.kafka import make_broker
from shared.runtime import service_app
from shared.secrets_policy import SecretsRefused
from shared.tokens import hash_secret


def _app(settings: RouterSettings | TrackerSettings, **kwargs: Any) -> FastAPI:
    return service_app(name="router", settings=settings, broker=make_broker(settings, "router"),
                       **kwargs)


@pytest.mark.parametrize(("env", "docs", "served"), [
    ({}, "auto", True), ({"vanthu_env": "production"}, "auto", False),
    ({"vanthu_env": "production"}, "on", True), ({}, "off", False)])
def test_api_docs_follow_http_docs_and_the_environment(env: dict[str, str], docs: str,
                                                       served: bool) -> None:
    client = TestClient(_app(RouterSettings(_env_file=None, http_docs=docs, **env)))
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert (client.get(path).status_code == 200) is served, path
    assert client.get("/health").status_code == 200


async def test_the_guard_runs_before_middleware_added_later() -> None:
    app = _app(RouterSettings(_env_file=None))

    class DecodesHeaders:  # like a careless middleware: header bytes .decode()d as UTF-8
        def __init__(self, inner: Callable[..., Any]) -> None:
            self.inner = inner

        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                _ = [value.decode() for _, value in scope["headers"]]
            await self.inner(scope, receive, send)

    app.add_middleware(DecodesHeaders)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/health", "raw_path": b"/health",
             "query_string": b"", "headers": [(b"host", b"x"), (b"x-thing", b"\xff\xfe")],
             "http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1), "root_path": ""}
    await app(scope, receive, send)
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["detail"][0]["loc"] == ["header", "x-thing"]
    big = TestClient(app).post("/health", content=b"x" * 1_048_577)
    assert big.status_code == 413


def test_the_body_cap_is_the_services_own_when_larger() -> None:
    client = TestClient(_app(RouterSettings(_env_file=None), max_body_bytes=3_000_000))
    assert client.post("/nowhere", content=b"x" * 2_000_000).status_code == 404
    assert client.post("/nowhere", content=b"x" * 3_000_001).status_code == 413


def test_an_exposed_service_with_demo_secrets_does_not_build() -> None:
    demo = TrackerSettings(_env_file=None, http_host="0.0.0.0",
                           tracker_unit_tokens=f"VP:{hash_secret('demo-vp-token')}",
                           tracker_leadership_tokens=f"d:{hash_secret('x-real-secret-123')}")
    with pytest.raises(SecretsRefused, match="TRACKER_UNIT_TOKENS"):
        _app(demo)
