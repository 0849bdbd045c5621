"""General Decree 30 layout rules, on letters outside the corpus and on small snippets."""

from __future__ import annotations

import unicodedata

import pytest

from services.ingest.parsing import parse_text

from .helpers import read_fixture


def test_district_letter_with_two_columns_and_deputy_signer() -> None:
    parsed = parse_text(read_fixture("unseen_ubnd_huyen.txt")).to_labels()
    assert parsed["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN LONG THÀNH"
    assert parsed["parent_issuer"] is None
    assert (parsed["number"], parsed["notation"]) == ("1025", "UBND-VP")
    assert (parsed["place"], parsed["issued_on"]) == ("Long Thành", "2024-03-03")
    assert parsed["subject"] == ("báo cáo tình hình thực hiện chương trình mục tiêu quốc gia quý I năm 2024")
    assert len(parsed["recipients"]) == 3
    assert [d["date"] for d in parsed["deadlines"]] == ["2024-03-15"]  # "chậm nhất ngày"
    assert parsed["referenced_documents"] == [{"number": "512", "notation": "SKHĐT-TH", "date": "2024-02-25"}]
    assert (parsed["signer_title"], parsed["signer_name"]) == ("PHÓ CHỦ TỊCH", "Nguyễn Văn Bình")
    assert parsed["distribution"] == ["Như trên", "CT, các PCT UBND huyện", "Lưu: VT"]


def test_invitation_with_title_line_and_tl_signature() -> None:
    parsed = parse_text(read_fixture("unseen_giay_moi.txt")).to_labels()
    assert (parsed["parent_issuer"], parsed["issuer"]) == (
        "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
        "CỤC BIẾN ĐỔI KHÍ HẬU",
    )
    assert parsed["doc_type"] == "Giấy mời"
    assert parsed["subject"].endswith("ứng phó với biến đổi khí hậu")
    assert parsed["meeting"] == {
        "date": "2023-05-18",
        "time": "08:30",
        "place": "Phòng họp tầng 3, Nhà B, số 10 Tôn Thất Thuyết, Hà Nội",
    }
    assert [d["date"] for d in parsed["deadlines"]] == ["2023-05-16"]
    assert (parsed["signer_title"], parsed["signer_name"]) == ("CHÁNH VĂN PHÒNG", "Trần Thị Hoa")


def test_notice_typed_by_title_and_tuq_signature() -> None:
    parsed = parse_text(read_fixture("unseen_thong_bao.txt")).to_labels()
    assert (parsed["doc_type"], parsed["notation"]) == ("Thông báo", "TB-SYT")
    assert parsed["subject"] == "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 10 năm 2022"
    assert [d["date"] for d in parsed["deadlines"]] == ["2022-11-30"]  # "hạn chót ngày"
    assert parsed["signer_title"] == "CHÁNH VĂN PHÒNG"


@pytest.mark.parametrize(
    ("line", "number", "notation"),
    [
        ("Số: 123/SCT-VP", "123", "SCT-VP"),
        ("Số:      /SCT-VP", None, "SCT-VP"),
        ("Số : 4144 /GDĐT – VP", "4144", "GDĐT-VP"),
        ("Số 179/2007/NĐ-CP", "179", "2007/NĐ-CP"),
    ],
)
def test_number_and_notation_forms(line: str, number: str | None, notation: str) -> None:
    parsed = parse_text(f"SỞ TƯ PHÁP\n{line}\nV/v thử nghiệm\n").to_labels()
    assert (parsed["number"], parsed["notation"]) == (number, notation)


@pytest.mark.parametrize(
    ("header", "parent", "issuer"),
    [
        ("UBND TỈNH ĐỒNG NAI\nSỞ CÔNG THƯƠNG", "UBND TỈNH ĐỒNG NAI", "SỞ CÔNG THƯƠNG"),
        ("UBND TỈNH ĐỒNG NAI SỞ CÔNG THƯƠNG", "UBND TỈNH ĐỒNG NAI", "SỞ CÔNG THƯƠNG"),
        ("BỘ TÀI CHÍNH TỔNG CỤC THUẾ", "BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI", None, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"),
        ("VĂN PHÒNG UBND THÀNH PHỐ", None, "VĂN PHÒNG UBND THÀNH PHỐ"),
    ],
)
def test_issuer_and_parent_from_header_lines(header: str, parent: str | None, issuer: str) -> None:
    parsed = parse_text(f"{header}\nSố: 12/ABC-VP\nV/v thử nghiệm\n").to_labels()
    assert (parsed["parent_issuer"], parsed["issuer"]) == (parent, issuer)


def test_run_together_words_and_page_numbers_do_not_break_lists() -> None:
    text = (
        "SỞ NỘI VỤ\nSố: 5/SNV-VP\nV/v họp\nKínhgửi:\n- Phòng A;\n- Phòng B.\n"
        "Đề nghị các phòng gửi báo cáo trước ngày\n\n2\n\n05/3/2024 để tổng hợp./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nLê Văn Tám\n"
    )
    parsed = parse_text(text).to_labels()
    assert parsed["recipients"] == ["Phòng A", "Phòng B"]
    assert parsed["distribution"] == ["Như trên", "Lưu: VT"]
    assert [d["date"] for d in parsed["deadlines"]] == ["2024-03-05"]


def test_decomposed_unicode_input_keeps_spans_on_the_input() -> None:
    text = unicodedata.normalize("NFD", read_fixture("s01.txt"))
    document = parse_text(text)
    assert document.to_labels()["signer_name"] == "Trương Thị Mỹ Dung"
    span = document.signer_name.span if document.signer_name else None
    assert span is not None
    assert unicodedata.normalize("NFC", text[span.start : span.end]) == "Trương Thị Mỹ Dung"


def test_run_together_title_and_name_are_split() -> None:
    text = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCHNguyễn Thị Thu\n"
    parsed = parse_text(text).to_labels()
    assert (parsed["signer_title"], parsed["signer_name"]) == ("PHÓ CHỦ TỊCH", "Nguyễn Thị Thu")
