"""Reviewing parsed fields (issue 18): what the Office types, how a review reads on the timeline,
the dispatch rebuilt for the router, and which fields the page marks "cần kiểm tra"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.tracker.corrections import (
    BadValue,
    applied,
    changes_routing,
    corrected_dispatch,
    parse_value,
    review_words,
)
from services.tracker.dashboard.review import marks, to_check
from services.tracker.writes import SetFields, WriteBatch
from shared.events_corrections import DispatchCorrected

RECEIVED = datetime(2024, 3, 5, 2, 0, tzinfo=UTC)
STORED = {"_id": "d1", "dispatch_id": "d1", "correlation_id": "d1", "source_system": "portal",
          "subject": "Cung cấp thông tin", "issuer": "BAN QUẢN LÝ DỰ ÁN", "notation": "SCT-QLTM",
          "doc_type": "Công văn", "recipients": ["Sở Công Thương"], "received_at": RECEIVED,
          "body": "Nội dung", "parsed_fields": ["issuer", "notation", "doc_type", "recipients"],
          "field_origins": {"issuer": {"origin": "text", "confidence": 0.55},
                            "notation": {"origin": "text", "confidence": 0.95},
                            "doc_type": {"origin": "ocr", "confidence": 0.9},
                            "recipients": {"origin": "text", "confidence": 0.9}},
          "rule_id": "triage", "reason": "Không quy tắc nào khớp"}


def test_typed_values_become_the_event_s_values_or_a_reason_in_words() -> None:
    assert parse_value("issuer", "  Sở  Công Thương ") == "Sở Công Thương"
    assert parse_value("recipients", "Sở Tài chính; Sở Xây dựng\nUBND huyện") == [
        "Sở Tài chính", "Sở Xây dựng", "UBND huyện"]
    assert parse_value("issued_on", "5/3/2025") == "2025-03-05"
    assert parse_value("deadlines", "16:30 20/03/2025: gửi báo cáo") == [
        {"date": "2025-03-20", "time": "16:30", "what": "gửi báo cáo", "who": None}]
    assert parse_value("meeting", "8h00 ngày 21/03/2025 tại Phòng họp số 2") == {
        "date": "2025-03-21", "time": "08:00", "place": "Phòng họp số 2"}
    assert parse_value("subject", "") is None
    with pytest.raises(BadValue, match="không phải ngày"):
        parse_value("issued_on", "mai")
    with pytest.raises(BadValue, match="không phải ngày có thật"):
        parse_value("issued_on", "31/02/2025")
    with pytest.raises(BadValue, match="không sửa được"):
        parse_value("body", "x")


def test_only_fields_routing_reads_make_the_router_decide_again() -> None:
    assert changes_routing("issuer", "A", "B") and changes_routing("recipients", [], ["X"])
    assert not changes_routing("issuer", "A", "A") and not changes_routing("signer_name", "A", "B")


def test_the_dispatch_is_rebuilt_with_the_correction_and_its_receipt_time() -> None:
    event = corrected_dispatch(STORED, "issuer", "SỞ CÔNG THƯƠNG", "e1")
    assert (event.issuer, event.notation, event.body) == ("SỞ CÔNG THƯƠNG", "SCT-QLTM", "Nội dung")
    assert event.occurred_at == RECEIVED and event.event_id == "e1" and event.dispatch_id == "d1"


def test_a_review_is_applied_to_the_view_and_said_on_the_timeline() -> None:
    event = DispatchCorrected(correlation_id="d1", dispatch_id="d1", field="issuer",
                              review="corrected", before="BAN QUẢN LÝ DỰ ÁN",
                              after="SỞ CÔNG THƯƠNG", confidence=0.55, corrected_by="Giám đốc",
                              occurred_at=RECEIVED)
    batch = WriteBatch()
    applied(batch, event, STORED)
    [write] = batch.dispatches
    assert isinstance(write, SetFields) and write.fields["issuer"] == "SỞ CÔNG THƯƠNG"
    assert write.fields["reviews"]["issuer"]["by"] == "Giám đốc"
    [entry] = batch.timeline
    assert review_words(entry.details) == (
        "Văn phòng sửa trường Cơ quan ban hành: «BAN QUẢN LÝ DỰ ÁN» → «SỞ CÔNG THƯƠNG» "
        "(người sửa: Giám đốc)")
    assert review_words({"field": "issued_on", "review": "confirmed", "before": "2025-03-05"}) == \
        "Văn phòng xác nhận trường Ngày ban hành: «05/03/2025»"


def test_low_confidence_and_ocr_fields_are_marked_until_reviewed() -> None:
    found = marks(STORED, 0.8)
    assert set(found) == {"issuer", "notation", "doc_type", "recipients"}
    assert found["issuer"].needs_review and found["issuer"].confidence_pct == 55
    assert found["doc_type"].needs_review  # read by OCR, however sure
    assert not found["notation"].needs_review and to_check(found) == 2
    assert found["recipients"].multiline and found["recipients"].typed == "Sở Công Thương"
    reviewed = {**STORED, "reviews": {"issuer": {"review": "corrected", "by": "Giám đốc",
                                                 "at": RECEIVED}}}
    after = marks(reviewed, 0.8)
    assert not after["issuer"].needs_review and after["issuer"].reviewed is not None
    assert after["issuer"].reviewed.startswith("Đã sửa: Giám đốc")


def test_the_review_names_the_fields_as_the_page_does() -> None:
    from services.tracker.corrections import CORRECTABLE, LABELS
    from services.tracker.dashboard.labels import FIELD

    assert {key: FIELD[key] for key in CORRECTABLE} == LABELS
