"""The kinds of miss seen on letters the parser had never met (issue 18), each on a small
synthetic example: the letter's own number and notation, and the documents it cites."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.parsing import parse_text

from .letters import CONG_VAN


def labels(text: str) -> dict[str, Any]:
    return parse_text(text).to_labels()


# --- number and notation ---------------------------------------------------------------------

def _with_number_line(number_line: str) -> str:
    return CONG_VAN.replace("Số: 214/UBND-TNMT", number_line)


@pytest.mark.parametrize(
    ("line", "number", "notation"),
    [
        ("Số: 214/UBND-TNMT", "214", "UBND-TNMT"),
        ("Số 214/UBND-TNMT", "214", "UBND-TNMT"),
        ("Số : 214 / UBND – TNMT", "214", "UBND-TNMT"),
        ("Số: 214-CV/HU", "214", "CV/HU"),  # a party body's style
        ("Số 214 - CV/HU", "214", "CV/HU"),
        ("Số: .../UBND-TNMT", None, "UBND-TNMT"),  # number left blank for the registry
        ("Số:          /UBND-TNMT", None, "UBND-TNMT"),
    ],
)
def test_number_line_variants(line: str, number: str | None, notation: str) -> None:
    parsed = labels(_with_number_line(line))
    assert (parsed["number"], parsed["notation"]) == (number, notation)
    assert parsed["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN MINH SƠN"
    assert all(ref["notation"] != notation for ref in parsed["referenced_documents"])


def test_empty_number_line_gives_no_number_and_no_reference() -> None:
    parsed = labels(_with_number_line("Số:."))
    assert (parsed["number"], parsed["notation"]) == (None, None)
    assert parsed["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN MINH SƠN"
    assert parsed["subject"] == labels(CONG_VAN)["subject"]


def test_number_line_after_the_subject() -> None:
    number = "Số: 214/UBND-TNMT\n"
    text = CONG_VAN.replace(number, "").replace("năm 2025\nCỘNG", "năm 2025\n" + number + "CỘNG")
    parsed = labels(text)
    assert (parsed["number"], parsed["notation"]) == ("214", "UBND-TNMT")
    assert parsed["subject"] == labels(CONG_VAN)["subject"]
    assert parsed["referenced_documents"] == labels(CONG_VAN)["referenced_documents"]


def test_number_run_together_with_the_subject_mark() -> None:
    text = CONG_VAN.replace("Số: 214/UBND-TNMT\nV/v", "Số: 214/UBND-TNMTV/v")
    parsed = labels(text)
    assert (parsed["number"], parsed["notation"]) == ("214", "UBND-TNMT")
    assert parsed["subject"] == labels(CONG_VAN)["subject"]


@pytest.mark.parametrize(
    "line",
    [
        "Số: 214/UBND-TNMT ngày 12/3/2025",
        "Số: 214/UBND-TNMT, ngày 12 tháng 3 năm 2025",
        "Số: 214/UBND-TNMT          Minh Sơn, ngày 12 tháng 3 năm 2025",
    ],
)
def test_number_and_date_on_one_line(line: str) -> None:
    text = CONG_VAN.replace("Minh Sơn, ngày 12 tháng 3 năm 2025\n", "").replace("Số: 214/UBND-TNMT", line)
    parsed = labels(text)
    assert (parsed["number"], parsed["notation"], parsed["issued_on"]) == ("214", "UBND-TNMT", "2025-03-12")
    assert parsed["referenced_documents"] == labels(CONG_VAN)["referenced_documents"]


# --- referenced documents -------------------------------------------------------------------

@pytest.mark.parametrize(
    "cited",
    [
        "Công văn số 1021/STNMT-QLĐĐ ngày 02 tháng 3 năm 2025",
        "Công văn số 1021/STNMT-QLĐĐ, ngày 02 tháng 3, năm 2025",
        "Công văn số 1021/STNMT-QLĐĐ (ngày 02 tháng 3 năm 2025)",
        "Công văn số 1021/STNMT-QLĐĐ ngày\n02 tháng 3 năm 2025",
        "Công văn số 1021/STNMT-QLĐĐ ban hành ngày 02/3/2025",
        "Công văn số 1021/STNMT-QLĐĐngày 02/3/2025",
    ],
)
def test_reference_dates_in_every_written_form(cited: str) -> None:
    text = CONG_VAN.replace("Công văn số 1021/STNMT-QLĐĐ ngày 02/3/2025", cited)
    assert labels(text)["referenced_documents"] == [
        {"number": "1021", "notation": "STNMT-QLĐĐ", "date": "2025-03-02"}
    ]


def test_own_number_below_the_recipients_is_the_number_not_a_reference() -> None:
    text = CONG_VAN.replace("Số: 214/UBND-TNMT\n", "").replace(
        "- Ủy ban nhân dân các xã, thị trấn.\n", "- Ủy ban nhân dân các xã, thị trấn.\nSố: 214/UBND-TNMT\n"
    )
    parsed = labels(text)
    assert (parsed["number"], parsed["notation"]) == ("214", "UBND-TNMT")
    assert parsed["referenced_documents"] == labels(CONG_VAN)["referenced_documents"]


def test_a_number_line_never_counts_as_a_reference() -> None:
    text = "Thông báo kết quả tuyển sinh\nSố: 52/TB-THCS\nNhà trường thông báo kết quả tuyển sinh lớp 6.\n"
    assert labels(text)["referenced_documents"] == []


def test_numbers_with_a_letter_suffix() -> None:
    text = _with_number_line("Số: 214a/UBND-TNMT").replace(
        "Công văn số 1021/STNMT-QLĐĐ ngày 02/3/2025", "Nghị quyết số 30c/NQ-CP ngày 02/3/2025"
    )
    parsed = labels(text)
    assert (parsed["number"], parsed["notation"]) == ("214a", "UBND-TNMT")
    assert parsed["referenced_documents"] == [{"number": "30c", "notation": "NQ-CP", "date": "2025-03-02"}]


def test_the_letter_itself_named_with_its_year_is_not_a_reference() -> None:
    page = "Tải bản đầy đủ (.pdf) (4 trang)\nCông văn số 214/2025/UBND-TNMT của huyện Minh Sơn\n\n"
    assert labels(page + CONG_VAN)["referenced_documents"] == labels(CONG_VAN)["referenced_documents"]


def test_the_letter_citing_itself_with_a_leading_zero_is_not_a_reference() -> None:
    text = CONG_VAN.replace("25/3/2025.", "25/3/2025 theo Công văn số 0214/UBND-TNMT này.")
    assert labels(text)["referenced_documents"] == labels(CONG_VAN)["referenced_documents"]
