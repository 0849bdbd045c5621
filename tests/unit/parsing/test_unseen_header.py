"""The kinds of miss seen on letters the parser had never met (issue 18), each on a small
synthetic example: web leftovers, header layouts, place and date, document type and
issuer.  Number and citations: test_unseen_numbers; subject, meeting, lists: test_unseen_body."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.parsing import parse_text

from .letters import CONG_VAN, GIAY_MOI, KE_HOACH


def labels(text: str) -> dict[str, Any]:
    return parse_text(text).to_labels()


# --- web-page leftovers -------------------------------------------------------------------

@pytest.mark.parametrize(
    "leftover",
    [
        "Skip Ribbon Commands\nSkip to main content",
        "In trang\nGửi email",
        "logo\nTIN NỔI BẬT",
        "Hệ thống pháp luật\nĐang tải nội dung, vui lòng chờ giây lát...",
        "Thứ sáu 14/03/2025\nin trang",
        "Thứ hai, ngày 10 tháng 3 năm 2025 [09:12:40 (GMT+7)]",
        "VÌ TỔ QUỐC XÃ HỘI CHỦ NGHĨA, VÌ LÝ TƯỞNG CỦA NHÂN DÂN\nSẴN SÀNG!",
    ],
)
def test_web_leftovers_before_the_letter_are_not_fields(leftover: str) -> None:
    parsed = labels(leftover + "\n\n" + CONG_VAN)
    assert parsed == labels(CONG_VAN)


def test_a_page_title_above_the_header_is_not_the_issuer() -> None:
    page = "Tải bản đầy đủ (.doc) (3 trang)\nCông văn số 214 về đất công của huyện\n\n"
    parsed = labels(page + CONG_VAN)
    assert parsed["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN MINH SƠN"
    assert (parsed["number"], parsed["notation"]) == ("214", "UBND-TNMT")


def test_a_headless_notice_under_a_web_timestamp_keeps_its_headline() -> None:
    text = (
        "Thứ tư 05/02/2025\nIn trang\n"
        "Đẩy mạnh phong trào thi đua yêu nước năm 2025\n"
        "Chủ tịch UBND huyện yêu cầu các phòng, ban triển khai phong trào thi đua trong toàn huyện.\n"
    )
    parsed = labels(text)
    assert parsed["subject"] == "Đẩy mạnh phong trào thi đua yêu nước năm 2025"
    assert parsed["issued_on"] is None


def test_literal_escaped_line_breaks_from_a_web_page_are_line_breaks() -> None:
    flat = CONG_VAN.replace("\n", "\\r\\n\n")
    assert labels(flat) == labels(CONG_VAN)
    typed_out = CONG_VAN.replace("\n", "\\r\\n")  # no real line break at all
    assert labels(typed_out) == labels(CONG_VAN)


# --- header layouts -------------------------------------------------------------------------

def test_issuer_after_the_motto_when_the_right_column_comes_first() -> None:
    text = CONG_VAN.replace("ỦY BAN NHÂN DÂN\nHUYỆN MINH SƠN\n-------\n", "").replace(
        "---------------\n", "---------------\nỦY BAN NHÂN DÂN\nHUYỆN MINH SƠN\n"
    )
    parsed = labels(text)
    assert parsed == labels(CONG_VAN)


def test_place_date_before_the_number_line() -> None:
    parsed = labels(KE_HOACH)
    assert parsed["issuer"] == "TRƯỜNG TRUNG HỌC PHỔ THÔNG NGUYỄN TRÃI"
    assert (parsed["number"], parsed["notation"], parsed["issued_on"]) == ("88", "KH-THPTNT", "2023-10-20")
    assert parsed["doc_type"] == "Kế hoạch"


def test_giay_moi_title_and_subject_in_capitals_over_two_lines() -> None:
    parsed = labels(GIAY_MOI)
    assert parsed["doc_type"] == "Giấy mời"
    assert parsed["subject"] == "HỘI NGHỊ TẬP HUẤN KỸ THUẬT CANH TÁC LÚA THÍCH ỨNG VỚI BIẾN ĐỔI KHÍ HẬU"


# --- document type ----------------------------------------------------------------------------

def test_no_type_is_guessed_when_the_letter_states_none() -> None:
    text = (
        "Hỗ trợ nông dân sau bão số 3\n"
        "Sở Nông nghiệp và Môi trường đề nghị các địa phương thống kê thiệt hại và hỗ trợ kịp thời.\n"
    )
    parsed = labels(text)
    assert parsed["issuer"] == "Sở Nông nghiệp và Môi trường"
    assert parsed["doc_type"] is None


def test_an_issuer_saying_it_notifies_makes_a_thong_bao() -> None:
    text = "Lịch tiếp công dân tháng 4\nBan Tiếp công dân huyện thông báo lịch tiếp công dân như sau.\n"
    assert labels(text)["doc_type"] == "Thông báo"


def test_a_headless_invitation_to_a_meeting_is_a_giay_moi() -> None:
    text = (
        "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm\n"
        "Ban Dân vận Huyện ủy trân trọng kính mời đồng chí tới dự hội nghị.\n"
        "- Thời gian: 14 giờ 00, ngày 08/7/2025.\n"
        "- Địa điểm: Hội trường Huyện ủy.\n"
    )
    parsed = labels(text)
    assert parsed["doc_type"] == "Giấy mời"
    assert parsed["meeting"] == {"date": "2025-07-08", "time": "14:00", "place": "Hội trường Huyện ủy"}


def test_kinh_goi_spelling_is_a_recipient_line() -> None:
    text = "Kính gởi: Hiệu trưởng các trường tiểu học\nPhòng Giáo dục đề nghị các trường báo cáo.\n"
    parsed = labels(text)
    assert parsed["recipients"] == ["Hiệu trưởng các trường tiểu học"]
    assert parsed["subject"] is None


# --- issuer -------------------------------------------------------------------------------------

def test_issuer_from_running_text_stops_at_the_name() -> None:
    text = (
        "Tăng cường kiểm tra an toàn thực phẩm dịp Tết\n"
        "Sở Công Thương kính gửi các sở, ban, ngành đề nghị phối hợp kiểm tra thị trường.\n"
    )
    assert labels(text)["issuer"] == "Sở Công Thương"


def test_issuer_from_running_text_is_completed_with_the_place_name() -> None:
    text = (
        "Ra quân làm sạch môi trường\n"
        "UBND thị xã đề nghị các phường ra quân làm sạch môi trường; UBND thị xã Hòa Bình sẽ kiểm tra.\n"
    )
    assert labels(text)["issuer"] == "UBND thị xã Hòa Bình"


@pytest.mark.parametrize(
    "block",
    [
        "ỦY BAN NHÂN DÂN TỈNH\nQUẢNG ĐIỀN",
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG\nĐIỀN",
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG ĐIỀN",
    ],
)
def test_issuer_split_across_lines_is_joined(block: str) -> None:
    text = CONG_VAN.replace("ỦY BAN NHÂN DÂN\nHUYỆN MINH SƠN", block)
    assert labels(text)["issuer"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG ĐIỀN"


def test_bare_committee_issuer_is_completed_from_the_letter() -> None:
    text = CONG_VAN.replace("ỦY BAN NHÂN DÂN\nHUYỆN MINH SƠN", "UBND HUYỆN").replace(
        "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN HUYỆN MINH SƠN\nKT. CHỦ TỊCH"
    )
    assert labels(text)["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN MINH SƠN"


@pytest.mark.parametrize(
    "leftover",
    [
        "Trang chủ > Văn bản > Công văn",
        "[In trang]   [Gửi email]   [Chia sẻ]",
        "Logo Cổng thông tin điện tử huyện",
        "Chuyển đến nội dung chính\nCỡ chữ\nPhóng to\nThu nhỏ",
    ],
)
def test_more_web_chrome_before_and_after(leftover: str) -> None:
    assert labels(leftover + "\n" + GIAY_MOI + "\n" + leftover) == labels(GIAY_MOI)


def test_news_copy_takes_number_and_subject_from_its_lede_not_its_timestamp() -> None:
    text = (
        "Sở Y tế tỉnh Bắc Sơn\n12/03/2025 08:15\n"
        "Công văn số 318/SYT-NVY về việc tăng cường phòng chống dịch sởi\n"
        "Sở Y tế đề nghị các đơn vị tăng cường giám sát.\n"
    )
    parsed = labels(text)
    assert (parsed["number"], parsed["notation"]) == ("318", "SYT-NVY")
    assert parsed["subject"] == "tăng cường phòng chống dịch sởi"
    assert parsed["issued_on"] is None


def test_subject_beside_the_place_date_column_keeps_to_its_column() -> None:
    text = CONG_VAN.replace(
        "V/v rà soát hiện trạng sử dụng đất công trên địa bàn các xã năm 2025\n",
        "V/v rà soát hiện trạng sử dụng đất công         Minh Sơn, ngày 12 tháng 3 năm 2025\n"
        "trên địa bàn các xã năm 2025\n",
    ).replace("---------------\nMinh Sơn, ngày 12 tháng 3 năm 2025\n", "")
    assert labels(text) == labels(CONG_VAN)


def test_title_case_motto_is_not_read_as_a_subject() -> None:
    text = CONG_VAN.replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hòa xã hội chủ nghĩa Việt Nam")
    assert labels(text) == labels(CONG_VAN)


@pytest.mark.parametrize(
    "place_date",
    [
        "Minh Sơn, ngày 12/3/2025",
        "Minh Sơn, 12/3/2025",
        "Minh Sơn ngày 12 tháng 3 năm 2025",
        "Minh Sơn, ngày 12 tháng 03, năm 2025",
        "Minh Sơn,\nngày 12 tháng 3 năm 2025",
    ],
)
def test_place_and_date_written_every_way(place_date: str) -> None:
    parsed = labels(CONG_VAN.replace("Minh Sơn, ngày 12 tháng 3 năm 2025", place_date))
    assert (parsed["place"], parsed["issued_on"]) == ("Minh Sơn", "2025-03-12")


def test_place_name_wrapped_in_the_right_column() -> None:
    text = CONG_VAN.replace("Minh Sơn, ngày", "Thị trấn Minh\nSơn, ngày")
    parsed = labels(text)
    assert (parsed["place"], parsed["issued_on"]) == ("Thị trấn Minh Sơn", "2025-03-12")


def test_an_academy_under_a_capitalised_page_title() -> None:
    text = (
        "THÔNG BÁO TUYỂN SINH ĐÀO TẠO THẠC SĨ NĂM 2025\n"
        "HỌC VIỆN CÁN BỘ MIỀN TRUNG\nSố: 1204/TB-HVCB\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Đà Nẵng, ngày 02 tháng 4 năm 2025\n"
        "THÔNG BÁO\nTuyển sinh đào tạo trình độ thạc sĩ năm 2025\n"
        "Học viện Cán bộ miền Trung thông báo tuyển sinh như sau.\n"
    )
    parsed = labels(text)
    assert (parsed["issuer"], parsed["parent_issuer"]) == ("HỌC VIỆN CÁN BỘ MIỀN TRUNG", None)
    assert parsed["doc_type"] == "Thông báo"
    assert parsed["subject"] == "Tuyển sinh đào tạo trình độ thạc sĩ năm 2025"


def test_youth_union_heading_stands_where_the_motto_does() -> None:
    text = (
        "BCH ĐOÀN TỈNH NAM SƠN                 ĐOÀN TNCS HỒ CHÍ MINH\n***\n"
        "Số: 412-CV/TĐTN-VP                        Nam Sơn, ngày 08 tháng 3 năm 2025\n"
        "V/v tổ chức Tháng Thanh niên năm 2025\nKính gửi: Các huyện, thành đoàn, đoàn trực thuộc.\n"
    )
    parsed = labels(text)
    assert (parsed["issuer"], parsed["parent_issuer"]) == ("BCH ĐOÀN TỈNH NAM SƠN", None)
    assert (parsed["number"], parsed["notation"]) == ("412", "CV/TĐTN-VP")
