"""Confidence per parsed field (issue 18): cues about where and how the letter states a field."""

from __future__ import annotations

from services.ingest.dispatch_builder import merge_parsed, read_body
from services.ingest.parsing import parse_text
from services.ingest.parsing.confidence import field_confidence
from services.ingest.parsing.model import Extracted, Meeting, ParsedDocument, Span

HEADER_LETTER = """UBND TỈNH ĐỒNG NAI
SỞ CÔNG THƯƠNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 125/SCT-VP
V/v báo cáo tình hình thực hiện kế hoạch năm 2024
Đồng Nai, ngày 05 tháng 3 năm 2025

Kính gửi: Các phòng, đơn vị thuộc Sở.

Đề nghị các đơn vị gửi báo cáo về Văn phòng Sở trước ngày 20/3/2025.

GIÁM ĐỐC
Nguyễn Văn An
"""

HEADLESS_NOTICE = """Trang chủ
Học sinh nghỉ học từ chiều nay để phòng chống bão số 9

Sở Giáo dục và Đào tạo thông báo cho học sinh toàn tỉnh nghỉ học từ chiều nay (29/10) để
phòng chống bão. Các trường kiểm tra cơ sở vật chất sau bão.
"""


def test_fields_in_the_decree_layout_are_trusted_more_than_guesses_from_running_text() -> None:
    letter = field_confidence(parse_text(HEADER_LETTER))
    notice = field_confidence(parse_text(HEADLESS_NOTICE))
    assert letter["issuer"] >= 0.9 and letter["parent_issuer"] >= 0.9  # above the motto
    assert letter["number"] >= 0.9 and letter["notation"] >= 0.9  # on the "Số:" line
    assert letter["subject"] >= 0.85  # after "V/v"
    assert letter["place"] >= 0.9 and letter["issued_on"] >= 0.9
    assert letter["recipients"] >= 0.85  # under "Kính gửi"
    assert letter["deadlines"] >= 0.85  # "trước ngày ..."
    assert notice["issuer"] < 0.8 and notice["subject"] < 0.8  # running text, a headline
    assert all(0 <= value <= 1 for value in (*letter.values(), *notice.values()))


def test_doc_type_stated_in_a_title_beats_one_read_from_the_notation_or_guessed() -> None:
    titled = HEADER_LETTER.replace("V/v báo cáo", "KẾ HOẠCH\nBáo cáo")
    assert field_confidence(parse_text(titled))["doc_type"] >= 0.9
    assert 0.8 <= field_confidence(parse_text(HEADER_LETTER))["doc_type"] < 0.9  # notation: Công văn
    no_number = HEADER_LETTER.replace("Số: 125/SCT-VP\n", "")
    guessed = field_confidence(parse_text(no_number))  # from "V/v" or "Kính gửi"
    assert guessed.get("doc_type", 0) < 0.8


def test_a_subject_with_its_mark_beats_a_fallback_and_a_long_one_loses() -> None:
    text = "Số: 12/UBND-VP\nV/v họp giao ban\nnội dung"
    marked = ParsedDocument(subject=Extracted(value="họp giao ban", span=Span(start=19, end=31)),
                            source_text=text)
    loose = ParsedDocument(subject=Extracted(value="nội dung", span=Span(start=32, end=40)),
                           source_text=text)
    long = ParsedDocument(subject=Extracted(value="x" * 300, span=Span(start=19, end=31)),
                          source_text=text)
    assert field_confidence(marked)["subject"] == 0.9
    assert field_confidence(loose)["subject"] < 0.8
    assert field_confidence(long)["subject"] < field_confidence(marked)["subject"]


def test_a_meeting_with_date_time_and_place_beats_a_partial_one() -> None:
    full = ParsedDocument(meeting=Extracted(value=Meeting(date="2025-03-20", time="08:00",
                                                          place="Phòng họp số 1")))
    partial = ParsedDocument(meeting=Extracted(value=Meeting(date="2025-03-20")))
    assert field_confidence(full)["meeting"] == 0.9
    assert field_confidence(partial)["meeting"] == 0.5


def test_empty_fields_get_none_and_an_issuer_cut_short_loses() -> None:
    text = "UBND thị xã thông báo lịch nghỉ"
    cut = ParsedDocument(issuer=Extracted(value="UBND thị", span=Span(start=0, end=8)),
                         source_text=text)
    scores = field_confidence(cut)
    assert set(scores) == {"issuer"} and scores["issuer"] < 0.5


def test_a_json_body_s_fields_carry_their_confidence_onto_the_event() -> None:
    fields = merge_parsed({"subject": "Báo cáo"}, read_body(HEADER_LETTER))
    origins = fields["field_origins"]
    assert set(origins) == set(fields["parsed_fields"]) and "subject" not in origins
    assert origins["issuer"].origin == "text" and origins["issuer"].confidence >= 0.9
    assert all(o.confidence is not None for o in origins.values())


def test_eval_parse_reports_the_confidence_of_right_and_wrong_fields() -> None:
    from tools.parse_evaluate import evaluate

    labels = [{"file": "a.txt", "issuer": "SỞ X", "subject": "họp"}]
    parsed = {"a.txt": {"issuer": "SỞ X", "subject": "sai"}}
    report = evaluate(parsed, labels, confidence={"a.txt": {"issuer": 0.9, "subject": 0.6}})
    assert report["confidence"]["right"] == {"fields": 1, "mean": 0.9, "below_threshold": 0.0}
    assert report["confidence"]["wrong"] == {"fields": 1, "mean": 0.6, "below_threshold": 1.0}
    assert "confidence" not in evaluate(parsed, labels)
