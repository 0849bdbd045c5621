"""Scans uploaded to a real ingest process (Kafka + FerretDB): a PNG photo of a letter is read by
OCR in the extraction worker and published with its fields; a scan over the OCR page cap gets 422
naming the cap, and nothing is published or stored. Tesseract is required, never skipped."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from shared import topics
from tests.integration.ingest_process import IngestProcess, ingest_process
from tests.kafka_reader import read_topic
from tools.scan_render import scanned_png

pytestmark = pytest.mark.infra
KEY = {"X-API-Key": "ocr-key"}
SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
LETTER_2 = (SEEDS / "letter-2-tong-ket-cchc-2023.txt").read_text(encoding="utf-8")
FIRST_PAGE = "\n".join(line for line in LETTER_2.split("\n2\n")[0].splitlines() if line.strip())


@pytest.fixture(scope="module")
def ingest(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestProcess]:
    with ingest_process(infra, tmp_path_factory.mktemp("ocr-logs"), {"scanner": "ocr-key"},
                        INGEST_EXTRACT_TIMEOUT_S="90", INGEST_OCR_TIMEOUT_S="60") as process:
        yield process


def _upload(url: str, name: str, data: bytes, content_type: str, marker: str) -> httpx.Response:
    return httpx.post(f"{url}/dispatches/upload", headers={**KEY, "Idempotency-Key": marker},
                      timeout=120, files={"file": (name, data, content_type)})


async def test_a_png_photo_of_a_letter_is_read_and_published(ingest: IngestProcess, infra: Any) -> None:
    marker = uuid.uuid4().hex
    response = _upload(ingest.url, "cong-van.png", scanned_png(FIRST_PAGE), "image/png", marker)
    assert response.status_code == 202, response.text
    assert {"subject", "deadlines", "meeting"} <= set(response.json()["parsed_fields"])
    dispatch_id = response.json()["dispatch_id"]
    events = await read_topic(infra.kafka_bootstrap, topics.DISPATCH_RECEIVED)
    [event] = [e for e in events if e["dispatch_id"] == dispatch_id]
    assert [d["date"] for d in event["deadlines"]] == ["2024-02-16"]
    assert event["meeting"]["date"] == "2024-02-19"
    assert event["attachments"][0]["content_type"] == "image/png"


def test_a_scan_over_the_page_cap_gets_422_naming_it(ingest: IngestProcess) -> None:
    page = Image.new("L", (170, 240), 255)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", save_all=True, append_images=[page] * 10)
    response = _upload(ingest.url, "eleven-pages.pdf", buffer.getvalue(), "application/pdf",
                       uuid.uuid4().hex)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["file"] and error["type"] == "document_over_cap", error
    assert error["ctx"] == {"cap": "ocr_pages", "limit": 10, "found": 11}
    assert "ocr_pages" in error["msg"]
