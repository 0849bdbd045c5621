"""Độ khẩn stated by an upstream system that does not send edXML (issue 19): the JSON API, a batch
item and an upload's metadata take an optional ``urgency``, carried onto ``DispatchReceived.urgency``
as a stated field; a wrong value is a 422 naming the field and the allowed values; an edXML
package's own Priority wins, and when its envelope states none the metadata's stands."""

from __future__ import annotations

import json

import pytest

from shared.events_exchange import Urgency
from tests.service.test_ingest_api import KEY, Harness
from tests.service.test_ingest_api import ingest as ingest  # the in-memory ingest fixture
from tests.unit.parsing.edxml_packages import thin_package

ALLOWED = ("'normal'", "'urgent'", "'very_urgent'", "'express'")


@pytest.mark.parametrize("value", [u.value for u in Urgency])
async def test_a_json_submission_carries_the_urgency_it_states(ingest: Harness, value: str) -> None:
    response = await ingest.client.post("/dispatches", headers=KEY, json={
        "subject": "V/v báo cáo tình hình cung ứng xăng dầu", "urgency": value})
    assert response.status_code == 202, response.text
    [event] = ingest.received
    assert event.urgency is Urgency(value) and event.exchange is None
    assert "urgency" not in event.parsed_fields  # stated, not a guess to confirm


async def test_no_urgency_stated_is_none_not_normal(ingest: Harness) -> None:
    response = await ingest.client.post("/dispatches", headers=KEY,
                                        json={"subject": "V/v tổng kết CCHC"})
    assert response.status_code == 202, response.text
    assert ingest.received[0].urgency is None


@pytest.mark.parametrize("value", ["hỏa tốc", "EXPRESS", 3, ""])
async def test_a_wrong_urgency_is_refused_naming_the_field_and_the_values(
        ingest: Harness, value: object) -> None:
    response = await ingest.client.post("/dispatches", headers=KEY, json={
        "subject": "V/v báo cáo khẩn", "urgency": value})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "urgency"]
    assert all(allowed in error["msg"] for allowed in ALLOWED), error["msg"]
    assert ingest.received == [] and not ingest.repo.keys  # nothing accepted, nothing kept


async def test_a_batch_item_and_an_upload_carry_it_too(ingest: Harness) -> None:
    batch = await ingest.client.post("/dispatches/batch", headers=KEY, json={"documents": [
        {"subject": "V/v một", "urgency": "urgent"}, {"subject": "V/v hai"}]})
    assert batch.status_code == 202, batch.text
    upload = await ingest.client.post(
        "/dispatches/upload", headers=KEY, data={"metadata": json.dumps({"urgency": "very_urgent"})},
        files={"file": ("cv.txt", "V/v kiểm tra thị trường cuối năm\n\nNội dung.".encode())})
    assert upload.status_code == 202, upload.text
    assert [e.urgency for e in ingest.received] == [Urgency.URGENT, None, Urgency.VERY_URGENT]
    wrong = await ingest.client.post(
        "/dispatches/upload", headers=KEY, data={"metadata": json.dumps({"urgency": "khẩn"})},
        files={"file": ("cv.txt", b"V/v x")})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["metadata", "urgency"]


async def test_an_edxml_envelope_states_its_own_urgency_else_the_metadata_stands(
        ingest: Harness) -> None:
    meta = {"metadata": json.dumps({"urgency": "express"})}
    stated = await ingest.client.post("/dispatches/upload", headers=KEY, data=meta,
                                      files={"file": ("a.edxml", thin_package(), "application/xml")})
    silent = thin_package().replace(b"<edXML:Priority>0</edXML:Priority>", b"", 1) \
        .replace(b"123</edXML:CodeNumber>", b"124</edXML:CodeNumber>", 1) \
        .replace(b",123/SCT-VP</edXML:DocumentId>", b",124/SCT-VP</edXML:DocumentId>", 1)
    unstated = await ingest.client.post("/dispatches/upload", headers=KEY, data=meta,
                                        files={"file": ("b.edxml", silent, "application/xml")})
    assert (stated.status_code, unstated.status_code) == (202, 202), unstated.text
    assert [e.urgency for e in ingest.received] == [Urgency.NORMAL, Urgency.EXPRESS]
    assert all(e.exchange is not None for e in ingest.received)


STAMPED = ("UBND TỈNH ĐỒNG NAI          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
           "SỞ CÔNG THƯƠNG              Độc lập - Tự do - Hạnh phúc\n"
           "Số: 512/SCT-QLTM            Đồng Nai, ngày 05 tháng 02 năm 2024\n"
           "V/v bảo đảm cung ứng xăng dầu dịp Tết\n"
           "HỎA TỐC\n"
           "Kính gửi: Phòng Quản lý thương mại.\n\nĐề nghị báo cáo trước ngày 08/02/2024.\n")


async def test_a_letter_that_only_prints_its_urgency_carries_it_as_a_read_field(
        ingest: Harness) -> None:
    upload = await ingest.client.post("/dispatches/upload", headers=KEY,
                                      files={"file": ("cv.txt", STAMPED.encode())})
    assert upload.status_code == 202, upload.text
    body = await ingest.client.post("/dispatches", headers=KEY,  # another letter, same mark
                                    json={"body": STAMPED.replace("512/", "513/")})
    assert body.status_code == 202, body.text
    assert len(ingest.received) == 2
    for event in ingest.received:
        assert event.urgency is Urgency.EXPRESS
        assert "urgency" in event.parsed_fields  # read, not stated: a guess to confirm


async def test_an_urgency_the_sender_states_wins_over_the_printed_mark(ingest: Harness) -> None:
    response = await ingest.client.post("/dispatches", headers=KEY,
                                        json={"body": STAMPED, "urgency": "normal"})
    assert response.status_code == 202, response.text
    [event] = ingest.received
    assert event.urgency is Urgency.NORMAL and "urgency" not in event.parsed_fields
