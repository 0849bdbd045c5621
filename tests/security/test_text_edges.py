"""Hostile text at the edge (issue 13, items 4 and 5): a CR/LF or control character in a single-line
field is a 422 naming the field and saying why; an oversized parsed field is a 422 naming the field,
never a 503; control characters in document text are cleaned, never passed on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.tracker.access import AccessControl
from services.tracker.api import tracker_router
from shared.clock import SystemClock
from shared.tokens import hash_secret
from tests.service.test_ingest_api import KEY, SEED, Harness
from tests.service.test_ingest_api import ingest as ingest  # the in-memory ingest fixture

EDXML = Path(__file__).resolve().parents[1] / "unit" / "parsing" / "fixtures" / "sample.edxml"
SUBJECT = "V/v tổ chức tổng kết công tác cải cách hành chính năm 2023"


def _only_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    return dict(error)


@pytest.mark.parametrize(("field", "value", "loc"), [
    ("notation", "SCT-VP\r\nBcc: evil@example.com", ["body", "notation"]),
    ("subject", "V/v tổng kết\x00", ["body", "subject"]),
    ("recipients", ["Văn phòng", "Phòng\u2028QLTM"], ["body", "recipients", 1]),
    ("issuer", "SỞ CÔNG\x1bTHƯƠNG", ["body", "issuer"]),
])
async def test_a_control_character_in_a_stated_field_is_422_naming_it(
        ingest: Harness, field: str, value: Any, loc: list[Any]) -> None:
    response = await ingest.client.post("/dispatches", headers=KEY,
                                        json={"subject": "V/v tổng kết", field: value})
    error = _only_error(response)
    assert error["loc"] == loc and error["type"] == "control_character"
    assert "U+" in error["msg"] and "một dòng" in error["msg"]
    assert ingest.received == []


async def test_upload_metadata_with_crlf_in_the_notation_is_422_naming_it(ingest: Harness) -> None:
    response = await ingest.client.post(
        "/dispatches/upload", headers=KEY, files={"file": ("cv.txt", SEED.read_bytes(), "text/plain")},
        data={"metadata": '{"notation": "SCT-VP\\r\\nX"}'})
    assert _only_error(response)["loc"] == ["metadata", "notation"]
    assert ingest.received == []


async def test_an_edxml_with_an_oversized_subject_is_422_naming_it_not_503(ingest: Harness) -> None:
    huge = EDXML.read_text(encoding="utf-8").replace(SUBJECT, "V/v " + "tổng kết " * 400)
    response = await ingest.client.post(
        "/dispatches/upload", headers=KEY,
        files={"file": ("cv.edxml", huge.encode(), "application/xml")})
    error = _only_error(response)
    assert error["loc"][-1] == "subject" and error["type"] == "string_too_long"
    assert ingest.received == []


async def test_controls_in_document_text_are_cleaned_not_refused(ingest: Harness) -> None:
    text = SEED.read_text()[:2000].replace("tổng kết", "tổng\x0bkết\x01").replace("\n", "\r\n", 5)
    response = await ingest.client.post("/dispatches", headers=KEY, json={"body": text + "\x0c"})
    assert response.status_code == 202, response.text
    [event] = ingest.received
    texts = [v for v in event.model_dump(mode="json").values() if isinstance(v, str)]
    assert not any(c in t for t in texts for c in "\x01\x0b\x0c\r"), texts
    assert "tổng kết" in event.subject


@pytest.fixture
async def tracker() -> AsyncIterator[httpx.AsyncClient]:
    access = AccessControl(f"QLTM:{hash_secret('qltm-token')}", f"director:{hash_secret('boss')}")
    app = FastAPI()
    app.include_router(tracker_router(None, KafkaBroker("127.0.0.1:9"), access,  # type: ignore[arg-type]
                                      SystemClock()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tracker") as client:
        yield client


@pytest.mark.parametrize(("body", "loc"), [
    ({"action": "progress", "note": "Đang xử lý\x01 (50%)"}, ["body", "note"]),
    ({"action": "decline", "note": "Không thuộc chức năng", "transfer_to": "QL\r\nCN"},
     ["body", "transfer_to"]),
])
async def test_a_control_character_in_a_units_response_is_422_naming_it(
        tracker: httpx.AsyncClient, body: dict[str, str], loc: list[str]) -> None:
    response = await tracker.post("/dispatches/d1/units/QLTM/responses", json=body,
                                  headers={"Authorization": "Bearer qltm-token"})
    error = _only_error(response)
    assert error["loc"] == loc and error["type"] == "control_character"


async def test_a_note_keeps_its_lines_and_an_override_refuses_a_crlf_unit(
        tracker: httpx.AsyncClient) -> None:
    response = await tracker.post("/dispatches/d1/override", headers={"Authorization": "Bearer boss"},
                                  json={"lead_unit": "QLTM\r\nQLCN", "reason": "Dòng 1\r\nDòng 2"})
    assert _only_error(response)["loc"] == ["body", "lead_unit"]
