"""Sizes are checked at the edge and nothing is orphaned; keys are scoped to the sending system.

A real ingest process on real Kafka and FerretDB. Blobs and reservations are counted in its own
database before and after each refused document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from bench import hostile_files as hostile
from tests.integration.ingest_process import IngestProcess, ingest_process

pytestmark = pytest.mark.infra
A, B = {"X-API-Key": "key-a"}, {"X-API-Key": "key-b"}
MAX_EVENT = 60_000


@pytest.fixture(scope="module")
def ingest(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestProcess]:
    with ingest_process(infra, tmp_path_factory.mktemp("sizes-logs"),
                        {"system-a": "key-a", "system-b": "key-b"},
                        INGEST_MAX_EVENT_BYTES=str(MAX_EVENT),
                        INGEST_INLINE_BODY_MAX_BYTES="200000") as process:
        yield process


def _counts(infra: Any, database: str) -> tuple[int, int, int]:
    with MongoClient(infra.mongodb_url) as client:
        db = client[database]
        return (db["blobs"].count_documents({}), db["blob_chunks"].count_documents({}),
                db["ingest_keys"].count_documents({}))


def _upload(url: str, headers: dict[str, str], name: str, data: bytes,
            content_type: str = "application/xml", subject: str | None = None) -> httpx.Response:
    return httpx.post(f"{url}/dispatches/upload", headers=headers, timeout=60,
                      files={"file": (name, data, content_type)},
                      data={"metadata": f'{{"subject": "{subject}"}}'} if subject else None)


def test_an_edxml_with_a_huge_subject_is_refused_naming_it_and_leaves_nothing(
    ingest: IngestProcess, infra: Any,
) -> None:
    before = _counts(infra, ingest.database)
    for _ in range(3):  # the reported case: three tries, each a 503, three orphaned blobs
        response = _upload(ingest.url, A, "huge.xml",
                           hostile.edxml("V/v " + "rất dài " * 190_000, "huge-subject-1"))
        assert response.status_code in (413, 422), response.text
        assert any("subject" in map(str, e["loc"]) for e in response.json()["detail"]), response.text
    assert _counts(infra, ingest.database) == before  # no blob, no chunk, no pending reservation


def test_an_event_over_the_size_cap_gets_413_naming_the_largest_field(
    ingest: IngestProcess, infra: Any,
) -> None:
    before = _counts(infra, ingest.database)
    body = "Kính gửi: Sở Tài chính.\n" + "Nội dung công văn. " * 5000  # ~100 KB, inline
    response = httpx.post(f"{ingest.url}/dispatches", headers=A, timeout=30,
                          json={"subject": "V/v nội dung dài", "body": body})
    assert response.status_code == 413, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "body"] and error["type"] == "event_too_large"
    assert str(MAX_EVENT) in error["msg"]
    upload = _upload(ingest.url, A, "long.txt", body.encode(), "text/plain", "V/v tệp dài")
    assert upload.status_code == 413 and upload.json()["detail"][0]["loc"] == ["body", "body"]
    assert _counts(infra, ingest.database) == before


def test_one_system_cannot_claim_another_systems_document(ingest: IngestProcess) -> None:
    doc = {"subject": "V/v phối hợp", "issuer": "SỞ CÔNG THƯƠNG", "number": "45",
           "notation": "SCT-KHTC", "issued_on": "2024-03-01"}
    first_a = httpx.post(f"{ingest.url}/dispatches", headers=A, json=doc, timeout=30)
    first_b = httpx.post(f"{ingest.url}/dispatches", headers=B, json=doc, timeout=30)
    assert (first_a.status_code, first_b.status_code) == (202, 202), (first_a.text, first_b.text)
    assert first_a.json()["dispatch_id"] != first_b.json()["dispatch_id"]
    again_a = httpx.post(f"{ingest.url}/dispatches", headers=A, timeout=30,
                         json={**doc, "subject": "V/v phối hợp (gửi lại)"})
    assert again_a.status_code == 200 and again_a.json()["dispatch_id"] == first_a.json()["dispatch_id"]

    package = hostile.edxml("V/v gói edXML dùng chung", "000.00.12.H19,2024/03/01,46/SCT-VP")
    edxml_a, edxml_b = _upload(ingest.url, A, "a.xml", package), _upload(ingest.url, B, "b.xml", package)
    assert (edxml_a.status_code, edxml_b.status_code) == (202, 202), (edxml_a.text, edxml_b.text)
    assert edxml_a.json()["dispatch_id"] != edxml_b.json()["dispatch_id"]
    resent_b = _upload(ingest.url, B, "b.xml", package)
    assert resent_b.status_code == 200
    assert resent_b.json()["dispatch_id"] == edxml_b.json()["dispatch_id"]
