"""Synthetic letters for the generalisation tests (own text, no real letter copied).

A letter with a Decree 30 header is kept as its two header columns and its body, so a
test can lay the columns out the ways text extraction does: one after the other,
right first, interleaved line by line, or side by side on the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
LAYOUTS = ("left_first", "right_first", "interleaved", "side_by_side", "side_by_side_low")


@dataclass(frozen=True)
class Letter:
    """Left header column (issuer, number, subject), right column (motto, place-date), body."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    body: str

    def render(self, layout: str = "left_first") -> str:
        left, right = list(self.left), list(self.right)
        if layout == "left_first":
            head = left + right
        elif layout == "right_first":
            head = right + left
        elif layout == "interleaved":
            head = [line for pair in _zip_longest(left, right) for line in pair if line]
        elif layout in ("side_by_side", "side_by_side_low"):
            if layout == "side_by_side_low":  # the right column level with the bottom of the left
                right = [""] * max(0, len(left) - len(right)) + right
            head = [f"{a:<44}      {b}".rstrip() for a, b in _zip_longest(left, right)]
        else:
            raise ValueError(layout)
        return "\n".join(head) + "\n\n" + self.body


def _zip_longest(left: list[str], right: list[str]) -> list[tuple[str, str]]:
    size = max(len(left), len(right))
    return [(left[i] if i < len(left) else "", right[i] if i < len(right) else "") for i in range(size)]


CONG_VAN_LETTER = Letter(
    left=(
        "ỦY BAN NHÂN DÂN",
        "HUYỆN MINH SƠN",
        "-------",
        "Số: 214/UBND-TNMT",
        "V/v rà soát hiện trạng sử dụng đất công trên địa bàn các xã năm 2025",
    ),
    right=(*MOTTO, "---------------", "Minh Sơn, ngày 12 tháng 3 năm 2025"),
    body="""Kính gửi:
- Phòng Tài nguyên và Môi trường huyện;
- Ủy ban nhân dân các xã, thị trấn.

Thực hiện Công văn số 1021/STNMT-QLĐĐ ngày 02/3/2025 của Sở Tài nguyên và Môi trường về việc rà soát đất công,
Ủy ban nhân dân huyện yêu cầu các đơn vị rà soát hiện trạng và
gửi báo cáo về Phòng Tài nguyên và Môi trường trước ngày 25/3/2025.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Thị Hồng Nhung
""",
)

GIAY_MOI_LETTER = Letter(
    left=("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "TRUNG TÂM KHUYẾN NÔNG", "Số: 37/GM-TTKN"),
    right=(*MOTTO, "Lâm Hà, ngày 04 tháng 9 năm 2024"),
    body="""GIẤY MỜI
HỘI NGHỊ TẬP HUẤN KỸ THUẬT CANH TÁC LÚA
THÍCH ỨNG VỚI BIẾN ĐỔI KHÍ HẬU
Trung tâm Khuyến nông trân trọng kính mời đại diện các hợp tác xã nông nghiệp tới dự hội nghị.
- Thời gian: 08 giờ 00 phút, ngày 16/9/2024.
- Địa điểm: Hội trường Trung tâm Khuyến nông, số 5 đường Lê Lợi.
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Trần Quốc Việt
""",
)

THONG_BAO_LETTER = Letter(
    left=("ĐẢNG BỘ TỈNH BÌNH AN", "HUYỆN ỦY PHÚ HÒA", "*", "Số 52-TB/HU"),
    right=("ĐẢNG CỘNG SẢN VIỆT NAM", "Phú Hòa, ngày 09 tháng 01 năm 2025"),
    body="""THÔNG BÁO
kết luận của Ban Thường vụ Huyện ủy về công tác chuẩn bị Tết Nguyên đán năm 2025

Ngày 06/01/2025, Ban Thường vụ Huyện ủy họp nghe báo cáo công tác chuẩn bị Tết theo Kế hoạch số 40-KH/HU
ngày 15 tháng 12 năm 2024 của Ban Thường vụ Huyện ủy. Ban Thường vụ Huyện ủy kết luận như sau:
1. Các cơ quan, đơn vị tổ chức trực Tết nghiêm túc, báo cáo về Văn phòng Huyện ủy trước ngày 27/01/2025.
2. Ủy ban nhân dân huyện bảo đảm hàng hóa thiết yếu phục vụ nhân dân.

Nơi nhận:
- Các đảng bộ, chi bộ trực thuộc;
- Lưu Văn phòng Huyện ủy.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Hoàng Văn Tâm
""",
)

CONG_VAN = CONG_VAN_LETTER.render()
GIAY_MOI = GIAY_MOI_LETTER.render()

#: A kế hoạch whose issuer block is followed by a place-date line before the number.
KE_HOACH = """TRƯỜNG TRUNG HỌC PHỔ THÔNG
NGUYỄN TRÃI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Thanh Bình, ngày 20 tháng 10 năm 2023
Số: 88/KH-THPTNT
KẾ HOẠCH
Tổ chức hội thi giáo viên dạy giỏi cấp trường năm học 2023 - 2024
Căn cứ Kế hoạch số 45/KH-SGDĐT ngày 15 tháng 9 năm 2023 của Sở Giáo dục và Đào tạo,
nhà trường xây dựng kế hoạch như sau.
HIỆU TRƯỞNG
Phạm Minh Khoa
"""

COLUMN_LETTERS = {"cong_van": CONG_VAN_LETTER, "giay_moi": GIAY_MOI_LETTER, "thong_bao": THONG_BAO_LETTER}
