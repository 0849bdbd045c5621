"""Building a dispatch from a submission: pure, no broker, no store (a batch: test_batch)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.ingest.dispatch_builder import Blob, DispatchBuilder, Refused, merge_parsed, read_body
from services.ingest.settings import IngestSettings
from shared.clock import FixedClock

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)
LETTER = ("SỞ CÔNG THƯƠNG TỈNH X\nSố: 123/SCT-VP\nX, ngày 06 tháng 02 năm 2024\n"
          "V/v tổng kết công tác CCHC năm 2023\nKính gửi: Các phòng thuộc Sở.\n"
          "Đề nghị các phòng gửi báo cáo trước ngày 16/02/2024.\n")


def _builder(**configured: object) -> DispatchBuilder:
    return DispatchBuilder(IngestSettings(**configured), FixedClock(NOW))  # type: ignore[arg-type]


def test_stated_fields_win_and_read_ones_fill_only_the_gaps() -> None:
    fields = merge_parsed({"issuer": "Sở Tài chính", "subject": None}, read_body(LETTER))
    assert fields["issuer"] == "Sở Tài chính" and "issuer" not in fields["parsed_fields"]
    assert fields["notation"] == "SCT-VP" and "notation" in fields["parsed_fields"]
    assert merge_parsed({"subject": "V/v x", "recipients": []}, None) == {
        "subject": "V/v x", "parsed_fields": []}


def test_the_event_carries_each_read_fields_origin_and_the_signature_status() -> None:
    fields = merge_parsed({"issuer": "Sở Tài chính"}, read_body(LETTER))
    assert set(fields["field_origins"]) == set(fields["parsed_fields"])
    assert "issuer" not in fields["field_origins"]  # stated, not read
    assert {o.origin for o in fields["field_origins"].values()} == {"text"}
    dispatch = _builder().build("portal", {}, read_body(LETTER), LETTER, [], "f")
    assert dispatch.event.field_origins and dispatch.event.field_origins["notation"].origin == "text"


def test_a_body_too_large_to_travel_inline_becomes_a_blob_named_by_body_ref() -> None:
    body = "Đề nghị báo cáo. " * 200
    dispatch = _builder(ingest_inline_body_max_bytes=1024).build(
        "portal", {"subject": "V/v x"}, None, body, [], "f")
    [blob] = dispatch.blobs
    assert dispatch.event.body is None and dispatch.event.body_ref == blob.attachment.blob_id
    assert blob.data.decode() == body and dispatch.event.occurred_at == NOW
    inline = _builder().build("portal", {"subject": "V/v x"}, None, "ngắn", [], "f")
    assert inline.event.body == "ngắn" and inline.blobs == []


def test_files_travel_as_attachments_and_are_stored_only_by_admission() -> None:
    upload = Blob.of(b"%PDF-1.4", "cv.pdf", "application/pdf")
    dispatch = _builder().build("portal", {"subject": "V/v x"}, None, None, [upload], "f")
    assert dispatch.event.attachments == [upload.attachment] and dispatch.blobs == [upload]


def test_keys_an_idempotency_key_replaces_the_fingerprint_and_the_natural_key_needs_it_all() -> None:
    stated = {"subject": "V/v a", "issuer": "SỞ CÔNG THƯƠNG", "number": "123",
              "notation": "SCT-VP", "issued_on": datetime(2024, 2, 6).date()}
    with_idem = _builder().build("portal", stated, None, None, [], "f", idem="k1")
    assert with_idem.keys[0] == "idem:portal:k1" and with_idem.keys[1].startswith("doc:")
    without = _builder().build("portal", {"subject": "V/v a", "number": "123"}, None, None, [], "f")
    assert without.keys == ["req:portal:f"]
    assert without.event.correlation_id == without.event.dispatch_id


def test_an_invalid_dispatch_is_refused_422_naming_the_field() -> None:
    with pytest.raises(Refused) as caught:
        _builder().build("portal", {}, None, None, [], "f")
    assert caught.value.status == 422 and caught.value.detail[0]["loc"] == ("subject",)


def test_a_dispatch_over_the_event_cap_is_refused_413_naming_its_largest_field() -> None:
    recipients = [f"Phòng số {n:03d} của Sở Công Thương" for n in range(200)]
    with pytest.raises(Refused) as caught:
        _builder(ingest_max_event_bytes=4096).build(
            "portal", {"subject": "V/v x", "recipients": recipients}, None, None, [], "f")
    assert caught.value.status == 413 and caught.value.detail[0]["loc"] == ["body", "recipients"]
