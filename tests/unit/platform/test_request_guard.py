"""The request guard's checks and its behaviour as ASGI middleware, without a server."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI, Request

from shared.request_guard import GuardLimits, Refusal, RequestGuard, check_headers

LIMITS = GuardLimits(max_body_bytes=1000, max_header_bytes=2000)


def test_headers_within_limits_give_the_declared_length() -> None:
    assert check_headers([(b"host", b"x"), (b"content-length", b"999")], LIMITS) == 999
    assert check_headers([(b"host", b"x")], LIMITS) is None
    assert check_headers([(b"authorization", "Bearer tốt".encode())], LIMITS) is None


def test_a_non_utf8_header_value_or_name_is_a_400_naming_the_header() -> None:
    refusal = check_headers([(b"host", b"x"), (b"x-api-key", b"\xff\xfe")], LIMITS)
    assert refusal == Refusal(400, ("header", "x-api-key"), "header is not valid UTF-8",
                              "header_encoding")
    named = check_headers([(b"x-\xe9", b"v")], LIMITS)
    assert isinstance(named, Refusal) and named.status == 400


def test_headers_over_the_cap_are_431_before_anything_else() -> None:
    refusal = check_headers([(b"x-big", b"a" * 1990), (b"x-bad", b"\xff")], LIMITS)
    assert isinstance(refusal, Refusal) and (refusal.status, refusal.type) == (
        431, "headers_too_large")


def test_content_length_over_the_cap_is_413_and_a_bad_one_400() -> None:
    over = check_headers([(b"content-length", b"1001")], LIMITS)
    assert isinstance(over, Refusal) and over.status == 413
    assert over.loc == ("header", "content-length") and "1000 bytes" in over.msg
    for bad in ([(b"content-length", b"-1")], [(b"content-length", b"1e3")],
                [(b"content-length", b"5"), (b"content-length", b"6")]):
        refusal = check_headers(bad, LIMITS)
        assert isinstance(refusal, Refusal) and refusal.status == 400, bad


def test_refusal_body_has_fastapi_detail_shape() -> None:
    body = json.loads(Refusal(413, ("body",), "too big", "body_too_large").body())
    assert body == {"detail": [{"loc": ["body"], "msg": "too big", "type": "body_too_large"}]}


def _echo_app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @app.post("/json")
    async def as_json(payload: dict[str, Any]) -> dict[str, int]:
        return {"keys": len(payload)}
    return app


async def _call(headers: list[tuple[bytes, bytes]], chunks: list[bytes], path: str = "/echo"
                ) -> tuple[list[MutableMapping[str, Any]], int]:
    """Drive the guard around a FastAPI app; return what was sent and how many chunks were read."""
    sent: list[MutableMapping[str, Any]] = []
    pending = list(chunks)

    async def receive() -> MutableMapping[str, Any]:
        if not pending:
            return {"type": "http.disconnect"}
        body = pending.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(pending)}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers, "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "root_path": ""}
    await RequestGuard(_echo_app(), LIMITS)(scope, receive, send)
    return sent, len(chunks) - len(pending)


async def test_a_chunked_body_over_the_cap_gets_413_and_is_not_read_further() -> None:
    for path in ("/echo", "/json"):  # FastAPI's own body parsing would have answered 400
        sent, read = await _call([(b"transfer-encoding", b"chunked"),
                                  (b"content-type", b"application/json")],
                                 [b"{" + b" " * 399] * 10, path)
        starts = [m for m in sent if m["type"] == "http.response.start"]
        assert [m["status"] for m in starts] == [413], path
        assert (b"connection", b"close") in starts[0]["headers"]
        assert read == 3, "reading stops at the chunk that passes the cap"
        body = json.loads(b"".join(m.get("body", b"") for m in sent))
        assert body["detail"][0]["loc"] == ["body"]


async def test_a_declared_length_over_the_cap_is_refused_without_reading() -> None:
    sent, read = await _call([(b"content-length", b"5000")], [b"x" * 5000])
    assert sent[0]["status"] == 413 and read == 0


async def test_a_body_within_the_cap_reaches_the_application() -> None:
    sent, _ = await _call([(b"transfer-encoding", b"chunked")], [b"x" * 500, b"y" * 500])
    assert sent[0]["status"] == 200 and json.loads(sent[1]["body"]) == {"read": 1000}


def test_a_path_can_have_its_own_body_cap() -> None:
    limits = GuardLimits(max_body_bytes=10_000, max_header_bytes=2000, body_caps={"/small": 100})
    small = check_headers([(b"content-length", b"101")], limits, "/small")
    assert isinstance(small, Refusal) and small.status == 413 and "100 bytes" in small.msg
    assert check_headers([(b"content-length", b"101")], limits, "/small/other") == 101
