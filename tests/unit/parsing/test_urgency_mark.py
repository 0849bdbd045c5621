"""Độ khẩn printed on a letter (KHẨN, THƯỢNG KHẨN, HỎA TỐC): read from the header only, as a mark
standing on its own, never from a word in a sentence or a title."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from services.ingest.parsing import parse_text

SHARED = Path(__file__).resolve().parents[4] / "shared"
HEADER = """UBND TỈNH ĐỒNG NAI                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ CÔNG THƯƠNG                              Độc lập - Tự do - Hạnh phúc

Số: 512/SCT-QLTM                         Đồng Nai, ngày 05 tháng 02 năm 2024
V/v bảo đảm cung ứng xăng dầu dịp Tết
{mark}
Kính gửi: Các thương nhân đầu mối kinh doanh xăng dầu.

Đề nghị các đơn vị khẩn trương rà soát và báo cáo trước ngày 08/02/2024.
{body}
GIÁM ĐỐC
"""


@pytest.mark.parametrize(("mark", "value"), [
    ("KHẨN", "urgent"), ("THƯỢNG KHẨN", "very_urgent"), ("HỎA TỐC", "express"),
    ("HOẢ TỐC", "express"), ("HỎA TỐC HẸN GIỜ", "express"), ("   - KHẨN -", "urgent"),
    ("THƯỢNG  KHẨN", "very_urgent")])
def test_a_mark_under_the_number_is_the_letter_s_urgency(mark: str, value: str) -> None:
    text = HEADER.format(mark=mark, body="")
    document = parse_text(text)
    assert document.urgency is not None and document.urgency.value == value
    span = document.urgency.span
    assert span is not None and text[span.start:span.end].strip(" -") == mark.strip(" -")


def test_a_mark_sharing_a_line_with_the_right_column_is_read() -> None:
    text = HEADER.replace("Số: 512/SCT-QLTM          ", "HỎA TỐC                    ").format(
        mark="", body="")
    document = parse_text(text)
    assert document.urgency is not None and document.urgency.value == "express"


@pytest.mark.parametrize(("mark", "body"), [
    ("", ""), ("", "KHẨN\n"), ("CÔNG ĐIỆN KHẨN", ""), ("Khẩn trương thực hiện", ""),
    ("", "HỎA TỐC\n")])
def test_no_mark_in_the_header_is_no_urgency(mark: str, body: str) -> None:
    assert parse_text(HEADER.format(mark=mark, body=body)).urgency is None


def test_nfd_text_reads_the_same() -> None:
    text = unicodedata.normalize("NFD", HEADER.format(mark="THƯỢNG KHẨN", body=""))
    urgency = parse_text(text).urgency
    assert urgency is not None and urgency.value == "very_urgent"


def test_the_corpus_letter_stamped_khan_is_urgent_and_the_seeds_are_not() -> None:
    stamped = parse_text((SHARED / "corpus" / "docs" / "023.txt").read_text(encoding="utf-8"))
    assert stamped.urgency is not None and stamped.urgency.value == "urgent"
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        assert parse_text(seed.read_text(encoding="utf-8")).urgency is None, seed.name


def test_urgency_is_not_a_corpus_label() -> None:
    assert "urgency" not in parse_text(HEADER.format(mark="KHẨN", body="")).to_labels()
