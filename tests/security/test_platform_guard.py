"""The request guard on the real services: hostile headers and bodies are refused before parsing.

The four services run as processes (the session's Kafka and FerretDB). Requests go over raw
sockets, because no well-behaved client sends a non-UTF-8 header or a body that never ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.service_process import API_KEY, running_services, unit_token
from tests.security.wire import chunked, raw_request, vm_hwm_mb
from tools.fleet import SERVICES, ServiceFleet

pytestmark = pytest.mark.infra
MB = 1024 * 1024
RESPOND = "/dispatches/cv-1/units/VP/responses"  # the tracker's largest POST, token required
CREDENTIALS = (f"X-API-Key: {API_KEY}".encode(),  # ingest reads it, the others ignore it
               f"Authorization: Bearer {unit_token('VP')}".encode())  # so the tracker reads on


@pytest.fixture(scope="module")
def fleet(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceFleet]:
    with running_services(infra, tmp_path_factory.mktemp("guard-logs"), SERVICES) as running:
        yield running


def _head(method: str, path: str, *headers: bytes) -> bytes:
    return b"\r\n".join([f"{method} {path} HTTP/1.1".encode(), b"Host: vanthu", *headers,
                         b"", b""])


@pytest.mark.parametrize("service", SERVICES)
def test_a_non_utf8_header_is_a_400_naming_it_on_every_service(fleet: ServiceFleet,
                                                               service: str) -> None:
    answer = raw_request(fleet.url(service), _head("GET", "/health", b"X-Note: caf\xe9 \xff"))
    assert answer.status == 400, answer.body
    assert answer.json()["detail"][0]["loc"] == ["header", "x-note"]


def test_a_non_utf8_header_on_an_ingest_post_is_a_400_not_a_500(fleet: ServiceFleet) -> None:
    body = b'{"subject": "x"}'
    answer = raw_request(fleet.url("ingest"), _head(
        "POST", "/dispatches", f"X-API-Key: {API_KEY}".encode(), b"Idempotency-Key: \xc3\x28",
        b"Content-Type: application/json", f"Content-Length: {len(body)}".encode()), [body])
    assert answer.status == 400, answer.body
    assert answer.json()["detail"][0]["type"] == "header_encoding"


@pytest.mark.parametrize("size", [20_000, 2 * MB])
def test_huge_headers_are_refused_with_431_or_400(fleet: ServiceFleet, size: int) -> None:
    for service in SERVICES:
        answer = raw_request(fleet.url(service), _head("GET", "/health", b"X-Big: " + b"a" * size))
        assert answer.status in (400, 431), (service, size, answer.status)
    fleet.check_alive()


@pytest.mark.parametrize(("service", "path", "declared"), [
    ("tracker", RESPOND, 200 * MB), ("notifier", "/digest", 200 * MB),
    ("router", "/health", 2 * MB), ("ingest", "/dispatches", 2 * MB),
    ("ingest", "/dispatches/upload", 11 * MB)])
def test_a_declared_body_over_the_cap_gets_413_at_once(fleet: ServiceFleet, service: str,
                                                       path: str, declared: int) -> None:
    answer = raw_request(fleet.url(service), _head(
        "POST", path, b"Content-Type: application/json",
        f"Content-Length: {declared}".encode()), [b"{"], timeout=10)
    assert answer.status == 413, answer.body
    assert answer.json()["detail"][0]["loc"] == ["header", "content-length"]
    assert answer.seconds < 5


@pytest.mark.parametrize(("service", "path", "cap"), [
    ("tracker", RESPOND, MB), ("ingest", "/dispatches", MB),
    ("ingest", "/dispatches/upload", 10 * MB)])
def test_a_chunked_body_over_the_cap_gets_413_not_400(fleet: ServiceFleet, service: str,
                                                      path: str, cap: int) -> None:
    kind, start = b"application/json", b"{"
    if path.endswith("upload"):
        kind, start = b"multipart/form-data; boundary=x", (
            b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")
    answer = raw_request(fleet.url(service), _head(
        "POST", path, *CREDENTIALS, b"Content-Type: " + kind, b"Transfer-Encoding: chunked"),
        chunked(cap + 2 * MB, start=start))
    assert answer.status == 413, answer.body
    assert answer.json()["detail"][0] == {"loc": ["body"], "type": "body_too_large",
                                          "msg": f"request body exceeds {cap} bytes"}


def test_200_mb_to_the_tracker_is_413_without_memory_growth(fleet: ServiceFleet) -> None:
    """Declared without a token (it reached 708 MB before the 401), then chunked with one."""
    pid = fleet.processes["tracker"].pid
    before = vm_hwm_mb(pid)
    piece = b" " * MB
    for head, body in (
            (_head("POST", RESPOND, b"Content-Type: application/json",
                   f"Content-Length: {200 * MB}".encode()), [b"{", *([piece] * 200)]),
            (_head("POST", RESPOND, *CREDENTIALS, b"Content-Type: application/json",
                   b"Transfer-Encoding: chunked"), chunked(200 * MB, MB))):
        answer = raw_request(fleet.url("tracker"), head, body, timeout=20)
        assert answer.status == 413 and answer.seconds < 5
        assert answer.sent < 100 * MB, "the tracker closes the connection instead of reading on"
    grown = vm_hwm_mb(pid) - before
    print(f"tracker peak RSS (VmHWM) {before:.0f} MB before, {before + grown:.0f} MB after 2 x 200 MB")
    assert grown < 30, f"tracker peak memory grew by {grown:.0f} MB"
    fleet.check_alive()
