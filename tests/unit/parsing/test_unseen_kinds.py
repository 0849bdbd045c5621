"""The kinds of miss seen on letters the parser had never met (issue 18), each on a small
synthetic example: web leftovers, number layouts, issuer, subject, type, meeting, references."""

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


# --- subject ------------------------------------------------------------------------------------

SUBJECT_CAPS = "TĂNG CƯỜNG CÔNG TÁC PHÒNG, CHỐNG CHÁY NỔ TẠI CÁC CHỢ VÀ TRUNG TÂM THƯƠNG MẠI"


@pytest.mark.parametrize(
    "title_block",
    [
        "CHỈ THỊ\nVỀ VIỆC TĂNG CƯỜNG CÔNG TÁC PHÒNG, CHỐNG CHÁY NỔ\nTẠI CÁC CHỢ VÀ TRUNG TÂM THƯƠNG MẠI",
        "CHỈ THỊ\nVề việc tăng cường công tác phòng, chống cháy nổ\ntại các chợ và trung tâm thương mại",
        "CHỈ THỊ\nTĂNG CƯỜNG CÔNG TÁC PHÒNG,\nCHỐNG CHÁY NỔ TẠI CÁC CHỢ\nVÀ TRUNG TÂM THƯƠNG MẠI",
        "CHỈ THỊ\n(Về việc tăng cường công tác phòng, chống cháy nổ tại các chợ và trung tâm thương mại)",
        "CHỈ THỊ:\n\nTăng cường công tác phòng, chống cháy nổ tại các chợ và trung tâm thương mại",
    ],
)
def test_subject_under_a_title_whatever_its_wrapping(title_block: str) -> None:
    text = KE_HOACH.replace(
        "KẾ HOẠCH\nTổ chức hội thi giáo viên dạy giỏi cấp trường năm học 2023 - 2024", title_block
    ).replace("88/KH-THPTNT", "88/CT-THPTNT")
    parsed = labels(text)
    assert parsed["doc_type"] == "Chỉ thị"
    assert parsed["subject"].casefold() == SUBJECT_CAPS.casefold()


def test_subject_after_v_v_in_capitals_over_two_lines() -> None:
    text = CONG_VAN.replace(
        "V/v rà soát hiện trạng sử dụng đất công trên địa bàn các xã năm 2025",
        "V/v RÀ SOÁT HIỆN TRẠNG SỬ DỤNG ĐẤT CÔNG\nTRÊN ĐỊA BÀN CÁC XÃ NĂM 2025",
    )
    assert labels(text)["subject"] == "RÀ SOÁT HIỆN TRẠNG SỬ DỤNG ĐẤT CÔNG TRÊN ĐỊA BÀN CÁC XÃ NĂM 2025"


@pytest.mark.parametrize("prefix", ["Về việc ", "về việc ", "V/v: ", "Về ", "VỀ VIỆC: "])
def test_subject_mark_is_not_part_of_the_subject(prefix: str) -> None:
    text = CONG_VAN.replace("V/v rà soát", prefix + "rà soát")
    assert labels(text)["subject"] == labels(CONG_VAN)["subject"]


def test_headless_notice_headline_loses_its_about_word() -> None:
    text = "Thông báo về việc nghỉ Tết Nguyên đán năm 2026\nSở Nội vụ thông báo lịch nghỉ Tết như sau.\n"
    parsed = labels(text)
    assert parsed["subject"] == "nghỉ Tết Nguyên đán năm 2026"
    assert parsed["doc_type"] == "Thông báo"


@pytest.mark.parametrize("title", ["THÔNG BÁO", "THƯ NGỎ", "KẾ HOẠCH"])
def test_title_alone_with_the_subject_on_later_lines(title: str) -> None:
    text = (
        "TRUNG TÂM Y TẾ HUYỆN AN PHÚ\n\n"
        f"{title}\n\n"
        "Triển khai chiến dịch tiêm chủng vắc xin sởi\n"
        "cho trẻ em từ 1 đến 5 tuổi năm 2025\n\n"
        "Trung tâm Y tế huyện triển khai chiến dịch tiêm chủng tại các trạm y tế xã.\n"
    )
    parsed = labels(text)
    assert parsed["subject"] == (
        "Triển khai chiến dịch tiêm chủng vắc xin sởi cho trẻ em từ 1 đến 5 tuổi năm 2025"
    )
    assert parsed["doc_type"] == title.capitalize()


# --- meeting ------------------------------------------------------------------------------------

PLACE = "Hội trường Trung tâm Khuyến nông, số 5 đường Lê Lợi"
MEETING = {"date": "2024-09-16", "time": "08:00", "place": PLACE}
_WHEN_WHERE = f"- Thời gian: 08 giờ 00 phút, ngày 16/9/2024.\n- Địa điểm: {PLACE}.\n"


@pytest.mark.parametrize(
    "when_where",
    [
        "2. Thời gian, địa điểm:\n" + _WHEN_WHERE,
        f"Thời gian:\n08h00, ngày 16/9/2024\nĐịa điểm:\n{PLACE}.\n",
        f"- Thời gian: ngày 16/9/2024\n(bắt đầu lúc 8h00)\n- Địa điểm: {PLACE}.\n",
        f"- Địa điểm: + {PLACE}.\n- Thời gian: 8h, ngày 16/9/2024.\n",
        f"- Địa điểm: tại {PLACE}, vào lúc 8 giờ ngày 16/9/2024.\n",
        f"Hội nghị tổ chức vào lúc 08 giờ 00, thứ Hai, ngày 16 tháng 9 năm 2024, tại {PLACE}.\n",
        f"Hội nghị tổ chức tại {PLACE} vào lúc 8h00 ngày 16/9/2024.\n",
    ],
)
def test_meeting_in_every_written_form(when_where: str) -> None:
    text = GIAY_MOI.replace(_WHEN_WHERE, when_where)
    assert labels(text)["meeting"] == MEETING


def test_a_date_and_time_without_a_gathering_is_no_meeting() -> None:
    text = CONG_VAN.replace("trước ngày 25/3/2025.", "trước 17 giờ ngày 25/3/2025 tại bộ phận một cửa.")
    assert labels(text)["meeting"] is None


# --- recipients, deadlines and issuers of schools and unions ----------------------------------

def test_recipient_placeholder_is_no_recipient() -> None:
    text = CONG_VAN.replace(
        "Kính gửi:\n- Phòng Tài nguyên và Môi trường huyện;\n- Ủy ban nhân dân các xã, thị trấn.",
        "Kính gửi: ……………………………..………………",
    )
    assert labels(text)["recipients"] == []


def test_dash_item_beside_kinh_gui_after_a_wide_gap() -> None:
    text = CONG_VAN.replace("Kính gửi:\n- Phòng", "Kính gửi:        - Phòng")
    assert labels(text)["recipients"] == labels(CONG_VAN)["recipients"]


def test_deadline_with_a_weekday_before_its_date() -> None:
    text = CONG_VAN.replace("trước ngày 25/3/2025.", "chậm nhất là thứ 3, ngày 25 tháng 3 năm 2025.")
    assert [d["date"] for d in labels(text)["deadlines"]] == ["2025-03-25"]


@pytest.mark.parametrize(
    ("sentence", "issuer"),
    [
        ("Nhà trường thông báo lịch kiểm tra học kỳ như sau.", "Nhà trường"),
        ("Thực hiện kế hoạch năm học, Trường Cao đẳng Y tế Đồng Tháp đề nghị các khoa rà soát.",
         "Trường Cao đẳng Y tế Đồng Tháp"),
        ("Ban Thường vụ Công đoàn cơ sở thông báo tổ chức giải cầu lông.", "Ban Thường vụ Công đoàn cơ sở"),
    ],
)
def test_schools_and_unions_speak_for_themselves(sentence: str, issuer: str) -> None:
    parsed = labels("Lịch hoạt động tháng 5\n" + sentence + "\n")
    assert parsed["issuer"] == issuer


def test_a_case_clause_is_not_an_issuer() -> None:
    text = "Lịch trực Tết\nTrường hợp có sự cố đề nghị báo ngay cho trực ban.\n"
    assert labels(text)["issuer"] is None


def test_thong_tri_headline_gives_its_type_and_subject() -> None:
    parsed = labels("Thông tri về việc triệu tập hội nghị cán bộ chủ chốt\nĐề nghị các đồng chí dự đầy đủ.\n")
    assert (parsed["doc_type"], parsed["subject"]) == ("Thông tri", "triệu tập hội nghị cán bộ chủ chốt")


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


def test_meeting_sentence_wrapped_over_lines() -> None:
    text = GIAY_MOI.replace(
        _WHEN_WHERE,
        f"Hội nghị được tổ chức vào lúc 8h00\nngày 16/9/2024, tại {PLACE}.\n",
    )
    assert labels(text)["meeting"] == MEETING


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


def test_the_invitation_sentence_under_giay_moi_is_not_its_subject() -> None:
    text = GIAY_MOI.replace(
        "HỘI NGHỊ TẬP HUẤN KỸ THUẬT CANH TÁC LÚA\nTHÍCH ỨNG VỚI BIẾN ĐỔI KHÍ HẬU\n", ""
    )
    parsed = labels(text)
    assert parsed["subject"] is None
    assert parsed["doc_type"] == "Giấy mời"


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


_KINH_GUI = "Kính gửi:\n- Phòng Tài nguyên và Môi trường huyện;\n- Ủy ban nhân dân các xã, thị trấn."


@pytest.mark.parametrize(
    "block",
    [
        "Kính gửi:\nPhòng Tài nguyên và Môi trường huyện;\nỦy ban nhân dân các xã, thị trấn.",
        "Kính gửi:\n1. Phòng Tài nguyên và Môi trường huyện;\n2. Ủy ban nhân dân các xã, thị trấn.",
        "Kính gửi:\n+ Phòng Tài nguyên và Môi trường huyện;\n+ Ủy ban nhân dân các xã, thị trấn.",
        "Kính gửi: Phòng Tài nguyên và Môi trường huyện; Ủy ban nhân dân các xã, thị trấn.",
        "Kính gửi: - Phòng Tài nguyên và Môi trường huyện;\n          - Ủy ban nhân dân các xã, thị trấn.",
        "KÍNH GỬI:\n- Phòng Tài nguyên và Môi trường\nhuyện;\n- Ủy ban nhân dân các xã, thị trấn.",
    ],
)
def test_recipients_in_every_list_form(block: str) -> None:
    parsed = labels(CONG_VAN.replace(_KINH_GUI, block))
    assert parsed["recipients"] == labels(CONG_VAN)["recipients"]


def test_a_body_sentence_after_an_empty_kinh_gui_is_not_a_recipient() -> None:
    text = CONG_VAN.replace(_KINH_GUI, "Kính gửi:\nThực hiện chỉ đạo của tỉnh, huyện yêu cầu như sau.")
    assert labels(text)["recipients"] == []


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
