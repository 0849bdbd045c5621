"""Ingest's HTTP API with the in-memory broker: 202 after publishing, clear 4xx, 503 without Kafka."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka.errors import KafkaConnectionError
from fastapi import FastAPI
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.ingest.admission import Admission
from services.ingest.api import dispatch_router
from services.ingest.route_limits import ContentTypeGuard, body_caps
from services.ingest.settings import IngestSettings
from shared import topics
from shared.clock import SystemClock
from shared.events import DispatchReceived
from shared.request_guard import GuardLimits, RequestGuard
from shared.tokens import hash_secret
from tests.service.fakes import InMemoryIngestRepository

SEED = Path(__file__).resolve().parents[1] / "unit" / "parsing" / "fixtures" / "s02.txt"
KEY = {"X-API-Key": "test-key"}


class Harness:
    def __init__(self, client: httpx.AsyncClient, received: list[DispatchReceived],
                 repo: InMemoryIngestRepository, admission: Admission) -> None:
        self.client, self.received, self.repo, self.admission = client, received, repo, admission


@pytest.fixture
async def ingest() -> AsyncIterator[Harness]:
    async with running(ingest_max_json_bytes=4096, ingest_inline_body_max_bytes=2048) as harness:
        yield harness


@contextlib.asynccontextmanager
async def running(**configured: Any) -> AsyncIterator[Harness]:
    """Ingest's routes in memory with ``configured`` settings, on faststream's test broker, behind
    the shared request guard (body caps per route, as ``service_app`` puts it) and the 415 check."""
    settings = IngestSettings(ingest_api_keys=f"portal:{hash_secret('test-key')}",
                              ingest_tracker_url="http://tracker", **configured)
    broker = KafkaBroker("127.0.0.1:9")
    received: list[DispatchReceived] = []

    @broker.subscriber(topics.DISPATCH_RECEIVED)
    async def collect(event: DispatchReceived) -> None:
        received.append(event)

    repo = InMemoryIngestRepository()
    publisher = broker.publisher(topics.DISPATCH_RECEIVED)

    async def publish(event: DispatchReceived) -> None:
        await publisher.publish(event, key=event.dispatch_id.encode())

    admission = Admission(repo, publish, timeout_s=1.0)
    app = FastAPI()
    app.include_router(dispatch_router(settings, admission, repo, SystemClock()))  # type: ignore[arg-type]
    app.add_middleware(ContentTypeGuard)
    guarded = RequestGuard(app, GuardLimits(max_body_bytes=settings.ingest_max_file_bytes,
                                            max_header_bytes=settings.http_max_header_bytes,
                                            body_caps=body_caps(settings)))
    async with TestKafkaBroker(broker):
        transport = httpx.ASGITransport(app=guarded)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
            yield Harness(client, received, repo, admission)


async def test_accepted_dispatch_is_published_before_the_202(ingest: Harness) -> None:
    response = await ingest.client.post("/dispatches", headers={**KEY, "X-Correlation-ID": "c-42"},
                                        json={"subject": "V/v tổng kết CCHC", "notation": "SCT-VP",
                                              "due_at": "2024-02-16T17:00:00+07:00"})
    assert response.status_code == 202, response.text
    dispatch_id = response.json()["dispatch_id"]
    assert response.json()["status_url"] == f"http://tracker/dispatches/{dispatch_id}"
    [event] = ingest.received
    assert (event.dispatch_id, event.correlation_id, event.source_system) == (dispatch_id, "c-42",
                                                                              "portal")
    assert event.due_at is not None and event.due_at.hour == 10  # 17:00 +07:00 in UTC


async def test_the_parser_fills_only_what_the_sender_left_out(ingest: Harness) -> None:
    text = SEED.read_text()[:2000]
    response = await ingest.client.post("/dispatches", headers=KEY,
                                        json={"body": text, "issuer": "Sở Công Thương tỉnh X"})
    assert response.status_code == 202, response.text
    [event] = ingest.received
    assert event.issuer == "Sở Công Thương tỉnh X" and "issuer" not in event.parsed_fields
    assert event.notation == "SCT-VP" and "notation" in event.parsed_fields
    assert event.subject.startswith("tổ chức tổng kết") and "subject" in event.sources
    assert [d.date.isoformat() for d in event.deadlines] == ["2024-02-16"]
    assert event.meeting is not None and event.meeting.time == "09:00"


async def test_same_idempotency_key_returns_the_original_and_publishes_nothing(ingest: Harness) -> None:
    body = {"subject": "V/v x"}
    first = await ingest.client.post("/dispatches", json=body, headers={**KEY, "Idempotency-Key": "k1"})
    again = await ingest.client.post("/dispatches", json=body, headers={**KEY, "Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["dispatch_id"] == first.json()["dispatch_id"] and again.json()["duplicate"]
    other = await ingest.client.post("/dispatches", json={"subject": "V/v y"},
                                     headers={**KEY, "Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert len(ingest.received) == 1


async def test_same_official_document_is_recognised_by_its_natural_key(ingest: Harness) -> None:
    doc = {"subject": "V/v a", "issuer": "SỞ CÔNG THƯƠNG", "number": "123", "notation": "SCT-VP",
           "issued_on": "2024-02-06"}
    first = await ingest.client.post("/dispatches", json=doc, headers=KEY)
    again = await ingest.client.post("/dispatches", headers=KEY,
                                     json={**doc, "issuer": "sở  công thương", "subject": "V/v a (gửi lại)"})
    assert (first.status_code, again.status_code) == (202, 200)
    assert len(ingest.received) == 1


@pytest.mark.parametrize(("headers", "content", "status"), [
    ({}, b'{"subject": "x"}', 401),
    ({"X-API-Key": "wrong"}, b'{"subject": "x"}', 401),
    ({**KEY, "Content-Type": "text/plain"}, b'{"subject": "x"}', 415),
    ({**KEY, "Content-Type": "application/json"}, b'{"subject": "' + b"x" * 5000 + b'"}', 413),
])
async def test_strangers_wrong_types_and_oversized_bodies_are_refused(
    ingest: Harness, headers: dict[str, str], content: bytes, status: int
) -> None:
    response = await ingest.client.post("/dispatches", content=content,
                                        headers={"Content-Type": "application/json", **headers})
    assert response.status_code == status
    assert ingest.received == []


async def test_kafka_unavailable_gives_503_never_202(ingest: Harness,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(_: Any) -> None:
        raise KafkaConnectionError("broker down")

    monkeypatch.setattr(ingest.admission, "_publish", refuse)
    response = await ingest.client.post("/dispatches", json={"subject": "V/v x"}, headers=KEY)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert ingest.received == []


async def test_an_unconfirmed_publish_names_its_dispatch_id_and_the_retry_gets_it(
    ingest: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed_over: list[DispatchReceived] = []

    async def stall(event: DispatchReceived) -> None:
        handed_over.append(event)  # the producer has it: it may still be delivered after the 503
        await asyncio.sleep(5)

    monkeypatch.setattr(ingest.admission, "_publish", stall)
    body = {"subject": "V/v gửi lúc Kafka chậm"}
    refused = await ingest.client.post("/dispatches", json=body, headers=KEY)
    assert refused.status_code == 503 and refused.json()["dispatch_id"] == handed_over[0].dispatch_id
    monkeypatch.undo()
    await asyncio.sleep(1.1)  # older than the publish timeout: the retry publishes the same event
    retried = await ingest.client.post("/dispatches", json=body, headers=KEY)
    assert retried.status_code == 202 and retried.json()["dispatch_id"] == refused.json()["dispatch_id"]
    assert [e.event_id for e in ingest.received] == [handed_over[0].event_id]
    again = await ingest.client.post("/dispatches", json=body, headers=KEY)
    assert again.status_code == 200 and again.json()["dispatch_id"] == refused.json()["dispatch_id"]


async def test_a_bad_document_in_a_batch_gets_its_own_answer_and_the_others_are_accepted() -> None:
    """Before, a document that failed at submission answered the whole batch 413/422 although the
    documents before it had been accepted and published: the client could not tell which."""
    huge = {"subject": "V/v danh sách dài", "recipients": [f"Phòng số {n:03d} của Sở Công Thương"
                                                           for n in range(200)]}
    async with running(ingest_max_event_bytes=4096) as harness:
        answer = await harness.client.post("/dispatches/batch", headers=KEY, json={"documents": [
            {"subject": "V/v thứ nhất"}, huge, {"subject": "V/v thứ ba"}]})
        assert answer.status_code == 207, answer.text
        results = answer.json()
        assert [r["status"] for r in results] == [202, 413, 202]
        assert results[1]["dispatch_id"] is None
        assert "recipients" in str(results[1]["detail"])  # names the largest field
        assert {e.dispatch_id for e in harness.received} == {results[0]["dispatch_id"],
                                                             results[2]["dispatch_id"]}


async def test_the_shared_guard_caps_each_submission_route_at_its_own_size() -> None:
    """Body caps are the shared request guard's, per route (``route_limits.body_caps``): ingest
    keeps only the 415 check of its own."""
    async with running(ingest_max_json_bytes=2048, ingest_max_file_bytes=8192) as harness:
        json_doc = {"subject": "V/v x", "body": "Đề nghị báo cáo. " * 180}  # ~3 kB
        single = await harness.client.post("/dispatches", headers=KEY, json=json_doc)
        batch_ok = await harness.client.post("/dispatches/batch", headers=KEY,
                                             json={"documents": [json_doc]})
        batch_over = await harness.client.post("/dispatches/batch", headers=KEY,
                                               json={"documents": [json_doc] * 3})
        upload_over = await harness.client.post("/dispatches/upload", headers=KEY,
                                                files={"file": ("cv.txt", b"x" * 9000)})
    assert (single.status_code, batch_ok.status_code) == (413, 202), batch_ok.text
    assert (batch_over.status_code, upload_over.status_code) == (413, 413)
    assert single.json()["detail"][0]["type"] == "body_too_large"
    assert len(harness.received) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "vni", "tcvn3"])
async def test_an_upload_in_a_windows_or_legacy_encoding_is_read_as_its_utf8_original(
        ingest: Harness, encoding: str) -> None:
    """A letter saved as "Unicode" (UTF-16), Windows-1258, VNI or TCVN3 (ABC) is read as the same
    letter: the same fields as its UTF-8 upload (issue 18)."""
    from services.ingest.parsing.encodings_tables import encode_tcvn3, encode_vni
    from tests.unit.parsing.test_encodings import encode_cp1258

    text = SEED.read_text()
    encoders = {"vni": encode_vni, "tcvn3": encode_tcvn3, "cp1258": encode_cp1258}
    data = encoders[encoding](text) if encoding in encoders else text.encode(encoding)
    original = await ingest.client.post("/dispatches/upload", headers=KEY,
                                        files={"file": ("cv.txt", text.encode())})
    legacy = await ingest.client.post("/dispatches/upload",
                                      headers={**KEY, "Idempotency-Key": f"legacy-{encoding}"},
                                      files={"file": ("cv-cu.txt", data)})
    assert (original.status_code, legacy.status_code) == (202, 202), legacy.text
    first, second = ingest.received
    assert (second.subject, second.number, second.notation, second.issued_on, second.deadlines) \
        == (first.subject, first.number, first.notation, first.issued_on, first.deadlines)


async def test_an_upload_in_no_vietnamese_encoding_is_refused_naming_the_problem(
        ingest: Harness) -> None:
    response = await ingest.client.post(
        "/dispatches/upload", headers=KEY,
        files={"file": ("cv.txt", "会議の案内を送付します。よろしくお願いします。".encode("shift_jis"))})
    assert response.status_code == 422, response.text
    assert "UTF-8" in response.text and "Vietnamese" in response.text
    assert ingest.received == []
