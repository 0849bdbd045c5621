"""The kinds of miss seen on letters the parser had never met (issue 18), each on a small
synthetic example: subject, meeting, recipients, deadlines, issuers in running text.
Header, number, type: test_unseen_header."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.parsing import parse_text

from .letters import CONG_VAN, GIAY_MOI, KE_HOACH


def labels(text: str) -> dict[str, Any]:
    return parse_text(text).to_labels()


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


def test_meeting_sentence_wrapped_over_lines() -> None:
    text = GIAY_MOI.replace(
        _WHEN_WHERE,
        f"Hội nghị được tổ chức vào lúc 8h00\nngày 16/9/2024, tại {PLACE}.\n",
    )
    assert labels(text)["meeting"] == MEETING


def test_the_invitation_sentence_under_giay_moi_is_not_its_subject() -> None:
    text = GIAY_MOI.replace(
        "HỘI NGHỊ TẬP HUẤN KỸ THUẬT CANH TÁC LÚA\nTHÍCH ỨNG VỚI BIẾN ĐỔI KHÍ HẬU\n", ""
    )
    parsed = labels(text)
    assert parsed["subject"] is None
    assert parsed["doc_type"] == "Giấy mời"


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


# --- wrapped lines (text extracted from PDF or narrow columns) ---------------------------------

def test_headless_headline_wrapped_with_its_number_and_date() -> None:
    text = (
        "Về việc sửa chữa cầu treo qua sông\n"
        "trên tuyến đường liên xã (512/VP-KT, ngày 03/4/2025).\n\n"
        "Kính gửi: Sở Xây dựng.\n"
    )
    parsed = labels(text)
    assert parsed["subject"] == "sửa chữa cầu treo qua sông trên tuyến đường liên xã"
    assert (parsed["number"], parsed["notation"], parsed["issued_on"]) == ("512", "VP-KT", "2025-04-03")
    assert parsed["referenced_documents"] == []


def test_issuer_name_wrapped_onto_the_next_line() -> None:
    text = "Lịch tiếp nhận hồ sơ\nThực hiện kế hoạch, Sở Giáo dục và\nĐào tạo đề nghị các trường gửi hồ sơ.\n"
    assert labels(text)["issuer"] == "Sở Giáo dục và Đào tạo"


def test_lowercase_thuc_hien_continues_a_wrapped_subject() -> None:
    text = CONG_VAN.replace(
        "V/v rà soát hiện trạng sử dụng đất công trên địa bàn các xã năm 2025",
        "V/v rà soát hiện trạng sử dụng đất công để\nthực hiện kiểm kê trên địa bàn các xã năm 2025",
    )
    parsed = labels(text)
    assert parsed["subject"] == (
        "rà soát hiện trạng sử dụng đất công để thực hiện kiểm kê trên địa bàn các xã năm 2025"
    )
    assert (parsed["place"], parsed["issued_on"]) == ("Minh Sơn", "2025-03-12")


def test_capitalised_subject_stops_at_the_collective_authority_line() -> None:
    text = KE_HOACH.replace(
        "KẾ HOẠCH\nTổ chức hội thi giáo viên dạy giỏi cấp trường năm học 2023 - 2024",
        "QUYẾT ĐỊNH\nBAN HÀNH QUY CHẾ LÀM VIỆC CỦA\nỦY BAN NHÂN DÂN HUYỆN THANH BÌNH\n"
        "ỦY BAN NHÂN DÂN HUYỆN THANH BÌNH",
    ).replace("88/KH-THPTNT", "88/QĐ-UBND")
    parsed = labels(text)
    assert parsed["doc_type"] == "Quyết định"
    assert parsed["subject"] == "BAN HÀNH QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN HUYỆN THANH BÌNH"
