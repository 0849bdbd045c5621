"""Hostile uploads against a real ingest process: a document over a letter cap gets 422 naming the
cap, a worker past its limits gets 422 too, and /health keeps answering while the heaviest allowed
document is read (extraction runs in a bounded worker process, not on the event loop)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from bench import hostile_files as hostile
from tests.integration.ingest_process import IngestProcess, ingest_process

pytestmark = pytest.mark.infra
KEY = {"X-API-Key": "sec-key"}
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEALTH_BOUND_S = 2.0  # generous: the loop must not be blocked, this is not a speed target


@pytest.fixture(scope="module")
def ingest(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestProcess]:
    # generous worker limits: the heaviest allowed document must pass on a busy 2-core machine
    with ingest_process(infra, tmp_path_factory.mktemp("hostile-logs"), {"portal": "sec-key"},
                        INGEST_EXTRACT_CPU_S="120", INGEST_EXTRACT_TIMEOUT_S="240") as process:
        yield process


def _blobs(infra: Any, database: str) -> int:
    with MongoClient(infra.mongodb_url) as client:
        return client[database]["blobs"].count_documents({})


def _upload(url: str, name: str, data: bytes, content_type: str, timeout: float = 60,
            metadata: str | None = None) -> httpx.Response:
    return httpx.post(f"{url}/dispatches/upload", headers=KEY, timeout=timeout,
                      files={"file": (name, data, content_type)},
                      data={"metadata": metadata} if metadata else None)


@pytest.mark.parametrize(("build", "name", "content_type", "cap", "limit"), [
    (hostile.shared_stream_pdf, "ten-pages-one-stream.pdf", PDF, "pdf_operators", 100_000),
    (lambda: hostile.many_pages_pdf(51), "fifty-one.pdf", PDF, "pdf_pages", 50),
    (hostile.docx_bomb, "twenty-mb.docx", DOCX, "docx_part_bytes", 5 * 1024 * 1024),
])
def test_a_document_over_a_cap_gets_422_naming_the_cap(
    ingest: IngestProcess, infra: Any, build: Callable[[], bytes], name: str, content_type: str,
    cap: str, limit: int,
) -> None:
    blobs = _blobs(infra, ingest.database)
    started = time.monotonic()
    response = _upload(ingest.url, name, build(), content_type)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["file"] and error["type"] == "document_over_cap", error
    assert cap in error["msg"] and str(limit) in error["msg"], error["msg"]
    assert error["ctx"]["cap"] == cap and error["ctx"]["limit"] == limit
    assert time.monotonic() - started < 30  # refused on the count, not after reading it all
    assert _blobs(infra, ingest.database) == blobs  # nothing stored for a refused document


async def _poll_health(url: str, stop: asyncio.Event) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(timeout=30) as client:
        while not stop.is_set():
            started = time.monotonic()
            response = await client.get(f"{url}/health")
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
            await asyncio.sleep(0.1)
    return latencies


@pytest.mark.parametrize(("build", "name", "content_type"), [
    (hostile.heaviest_allowed_pdf, "heaviest.pdf", PDF),
    (hostile.heaviest_allowed_docx, "heaviest.docx", DOCX),
])
async def test_health_answers_while_the_heaviest_allowed_upload_is_read(
    ingest: IngestProcess, build: Callable[[], bytes], name: str, content_type: str,
) -> None:
    stop = asyncio.Event()
    poller = asyncio.create_task(_poll_health(ingest.url, stop))
    async with httpx.AsyncClient(timeout=300) as client:
        started = time.monotonic()
        response = await client.post(f"{ingest.url}/dispatches/upload", headers=KEY,
                                     files={"file": (name, build(), content_type)},
                                     data={"metadata": '{"subject": "V/v văn bản nặng nhất"}'})
        took = time.monotonic() - started
    stop.set()
    latencies = await poller
    assert response.status_code == 202, response.text
    assert took > 1.0 and len(latencies) >= 5, (took, len(latencies))  # really read meanwhile
    assert max(latencies) < HEALTH_BOUND_S, sorted(latencies)[-5:]


def test_a_worker_past_its_cpu_limit_gets_422_and_the_next_upload_is_read(
    infra: Any, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with ingest_process(infra, tmp_path_factory.mktemp("cpu-logs"), {"portal": "sec-key"},
                        INGEST_EXTRACT_CPU_S="1") as tight:
        response = _upload(tight.url, "heaviest.pdf", hostile.heaviest_allowed_pdf(), PDF)
        assert response.status_code == 422, response.text
        [error] = response.json()["detail"]
        assert error["loc"] == ["file"] and error["type"] == "extraction_limit", error
        assert error["ctx"] == {"limit": "cpu_s", "value": 1} and "cpu_s" in error["msg"]
        after = _upload(tight.url, "short.pdf", hostile.many_pages_pdf(2), PDF,
                        metadata='{"subject": "V/v sau khi tiến trình đọc bị dừng"}')
        assert after.status_code == 202, after.text
