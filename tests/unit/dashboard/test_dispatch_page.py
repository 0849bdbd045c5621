"""A dispatch's fields with source sentences, its timeline with fired signals, and its matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.tracker.dashboard import dispatch_page
from services.tracker.dashboard.labels import REPLY, days_late, when

NOW = datetime(2024, 2, 20, 2, tzinfo=UTC)
DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)  # 17:00 in Vietnam
SENTENCE = "Đề nghị các phòng, đơn vị gửi các nội dung báo cáo trước ngày 16/2/2024."
DISPATCH = {
    "subject": "tổ chức tổng kết công tác cải cách hành chính năm 2023", "notation": "SCT-VP",
    "number": None, "recipients": ["Các phòng, đơn vị thuộc Sở"], "distribution": [],
    "deadlines": [{"date": "2024-02-16", "time": None, "what": "gửi báo cáo", "who": "các phòng"}],
    "meeting": {"date": "2024-02-19", "time": "09:00", "place": "Phòng họp lớn"},
    "issued_on": "2024-02-06", "parsed_fields": ["subject", "deadlines", "meeting", "recipients"],
    "sources": {"deadlines": SENTENCE, "subject": "V/v tổ chức tổng kết công tác cải cách"},
}
NAMES = {"VP": "Văn phòng", "QLCN": "Phòng Quản lý Công nghiệp", "TTRA": "Thanh tra Sở"}


def test_fields_show_what_the_parser_read_with_its_sentence() -> None:
    fields = {f.key: f for f in dispatch_page.dispatch_fields(DISPATCH)}
    assert list(fields) == ["subject", "notation", "issued_on", "recipients", "deadlines", "meeting"]
    assert fields["deadlines"].parsed and fields["deadlines"].source == SENTENCE
    assert fields["deadlines"].value == "ngày 16/02/2024: gửi báo cáo (các phòng)"
    assert fields["meeting"].value == "09:00 ngày 19/02/2024 tại Phòng họp lớn"
    assert fields["meeting"].parsed and fields["meeting"].source is None  # no sentence kept
    assert not fields["notation"].parsed and fields["issued_on"].value == "06/02/2024"


def test_timeline_merges_responses_and_fired_signals_in_time_order() -> None:
    entries = [
        {"event_type": "dispatch.received", "occurred_at": DUE - timedelta(days=10),
         "source_system": "demo"},
        {"event_type": "assignment.responded", "occurred_at": DUE + timedelta(hours=16),
         "unit_code": "QLCN", "action": "complete", "note": "Gửi muộn"},
        {"event_type": "assignment.responded", "occurred_at": DUE + timedelta(hours=17),
         "unit_code": "VP", "action": "transfer", "transfer_to": "QLCN", "refused": "đã hoàn thành"},
    ]
    checks = [{"unit_code": "QLCN", "fired": ["overdue:1"], "schedule": {"overdue:1": DUE}},
              {"unit_code": "TTRA", "fired": [], "schedule": {"overdue:1": DUE}}]
    events = dispatch_page.timeline(entries, checks, NAMES)
    assert [e.kind for e in events] == ["event", "signal", "event", "refused"]
    assert events[1].text == "Quá hạn mức 1 (trưởng đơn vị): Phòng Quản lý Công nghiệp (QLCN)"
    assert events[1].when == "17:00 ngày 16/02/2024"
    assert events[2].text == "Phòng Quản lý Công nghiệp (QLCN) báo cáo hoàn thành: «Gửi muộn»"
    assert events[3].text.startswith("Văn phòng (VP) chuyển → QLCN") and "đã hoàn thành" in events[3].text


def test_matrix_puts_each_unit_in_its_reply_column() -> None:
    rows = dispatch_page.matrix([
        {"unit_code": "VP", "status": "completed", "completed_on_time": True, "due_at": DUE,
         "role": "lead"},
        {"unit_code": "QLCN", "status": "completed", "completed_on_time": False, "due_at": DUE},
        {"unit_code": "TTRA", "status": "received", "due_at": DUE, "role": "coordinating"},
    ], NAMES, NOW)
    assert [(r.unit_code, r.reply) for r in rows] == [("QLCN", "late"), ("TTRA", "overdue"),
                                                      ("VP", "on_time")]
    assert {r.reply for r in rows} <= set(REPLY) and rows[2].role == "Chủ trì"
    assert rows[0].role == "—" and rows[1].status == "Đã nhận, chưa tiếp nhận"


def test_assignment_rows_put_the_lead_first() -> None:
    rows = dispatch_page.assignment_rows([
        {"unit_code": "TTRA", "status": "received", "due_at": DUE, "role": "coordinating"},
        {"unit_code": "VP", "status": "completed", "completed_on_time": True, "due_at": DUE,
         "role": "lead", "completed_at": DUE - timedelta(days=1), "reply_note": "Đã gửi"},
    ], NAMES, NOW)
    assert [r["unit_code"] for r in rows] == ["VP", "TTRA"]
    assert rows[0]["reply_text"] == "Trả lời đúng hạn" and rows[0]["completed"] == "17:00 ngày 15/02/2024"
    assert rows[1]["reply"] == "overdue" and rows[1]["acknowledged"] == "—"


def test_times_are_vietnamese_local_and_lateness_is_rounded_down() -> None:
    assert when(DUE) == "17:00 ngày 16/02/2024" and when(None) == "—"
    assert when("2024-02-16T10:00:00+00:00") == "17:00 ngày 16/02/2024"
    assert days_late(timedelta(days=2, hours=23)) == "2 ngày"
    assert days_late(timedelta(hours=5, minutes=59)) == "5 giờ"
    assert days_late(timedelta(seconds=30)) == "vừa quá hạn"


def test_fields_read_from_a_scan_are_marked_with_their_confidence() -> None:
    scanned = {**DISPATCH, "field_origins": {"subject": {"origin": "ocr", "confidence": 0.81},
                                             "deadlines": {"origin": "text"}}}
    fields = {f.key: f for f in dispatch_page.dispatch_fields(scanned)}
    assert fields["subject"].ocr and fields["subject"].ocr_confidence == 0.81
    assert not fields["deadlines"].ocr and fields["deadlines"].parsed
    assert not any(f.ocr for f in dispatch_page.dispatch_fields(DISPATCH))  # no origins: text


def test_the_signature_verdict_in_words() -> None:
    assert dispatch_page.signature(DISPATCH) is None  # not a PDF: nothing was verified
    view = dispatch_page.signature({"signature": {
        "status": "valid", "signer": "Trần Văn B", "organisation": "Sở Công Thương",
        "signed_at": "2024-02-06T03:00:00+00:00"}})
    assert view is not None and view.text == "Chữ ký số hợp lệ"
    assert view.detail == "người ký: Trần Văn B, Sở Công Thương · ký lúc 10:00 ngày 06/02/2024"
    untrusted = dispatch_page.signature({"signature": {"status": "untrusted"}})
    assert untrusted is not None and "chưa được xác thực" in untrusted.text
