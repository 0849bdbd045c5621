"""Ingest as a process on real Kafka and FerretDB: once-only acceptance, refusals reach nothing."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest

from shared import topics
from tests.integration.ingest_process import running_ingest
from tests.kafka_reader import read_topic

pytestmark = pytest.mark.infra
SEED = Path(__file__).resolve().parents[1] / "unit" / "parsing" / "fixtures" / "s02.txt"
KEY = {"X-API-Key": "it-key"}


@pytest.fixture(scope="module")
def ingest_url(infra: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_ingest(infra, tmp_path_factory.mktemp("ingest-logs"), {"portal": "it-key"},
                        INGEST_INLINE_BODY_MAX_BYTES="1024",
                        INGEST_MAX_JSON_BYTES="65536") as url:
        yield url


async def _published(infra: object, marker: str) -> list[dict[str, object]]:
    messages = await read_topic(infra.kafka_bootstrap, topics.DISPATCH_RECEIVED)  # type: ignore[attr-defined]
    return [m for m in messages if marker in str(m.get("subject"))]


async def test_three_concurrent_identical_requests_publish_once(ingest_url: str, infra: object) -> None:
    marker = uuid.uuid4().hex
    doc = {"subject": f"V/v thử {marker}", "issuer": "SỞ CÔNG THƯƠNG", "number": "77",
           "notation": "SCT-VP", "issued_on": "2024-02-06"}
    async with httpx.AsyncClient(base_url=ingest_url, timeout=30) as client:
        responses = await asyncio.gather(*(
            client.post("/dispatches", json=doc, headers={**KEY, "Idempotency-Key": marker})
            for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [200, 200, 202]
    assert len({r.json()["dispatch_id"] for r in responses}) == 1
    [message] = await _published(infra, marker)
    assert message["dispatch_id"] == responses[0].json()["dispatch_id"]
    assert message["source_system"] == "portal"


async def test_bad_input_gets_its_status_and_nothing_reaches_kafka(
    ingest_url: str, infra: object
) -> None:
    marker = uuid.uuid4().hex
    subject = f'"subject": "V/v {marker}"'
    cases = [
        ({}, "application/json", "{" + subject + "}", 401),
        (KEY, "text/plain", "{" + subject + "}", 415),
        (KEY, "application/json", "{" + subject + ', "priority": "khẩn"}', 422),
        (KEY, "application/json", "{" + subject + ', "due_at": "2024-02-16T17:00"}', 422),
        (KEY, "application/json", "{" + subject + ', "body": "' + "x" * 70000 + '"}', 413),
    ]
    async with httpx.AsyncClient(base_url=ingest_url, timeout=30) as client:
        for headers, content_type, content, status in cases:
            response = await client.post("/dispatches", content=content.encode(),
                                         headers={**headers, "Content-Type": content_type})
            assert response.status_code == status, (status, response.text)
        unreadable = await client.post("/dispatches/upload", headers=KEY,
                                       files={"file": ("x.pdf", b"%PDF-1.4 garbage", "application/pdf")},
                                       data={"metadata": '{"subject": "V/v ' + marker + '"}'})
        assert unreadable.status_code == 422 and unreadable.json()["detail"][0]["loc"] == ["file"]
    assert await _published(infra, marker) == []


async def test_a_docx_upload_is_read_stored_and_published(ingest_url: str, infra: object) -> None:
    marker = uuid.uuid4().hex
    document = docx.Document()
    for line in SEED.read_text().splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    async with httpx.AsyncClient(base_url=ingest_url, timeout=30) as client:
        response = await client.post(
            "/dispatches/upload", headers=KEY, data={"metadata": f'{{"subject": "V/v {marker}"}}'},
            files={"file": ("letter-2.docx", buffer.getvalue(),
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")})
    assert response.status_code == 202, response.text
    assert {"notation", "deadlines", "meeting"} <= set(response.json()["parsed_fields"])
    [message] = await _published(infra, marker)
    assert [d["date"] for d in message["deadlines"]] == ["2024-02-16"]  # type: ignore[index]
    [attachment] = message["attachments"]  # type: ignore[misc]
    assert attachment["filename"] == "letter-2.docx" and attachment["size"] == len(buffer.getvalue())
    assert message["body"] is None and message["body_ref"], "a large body travels by reference"
