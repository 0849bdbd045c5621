"""Synthetic letters for the generalisation tests (own text, no real letter copied)."""

from __future__ import annotations

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "HUYỆN MINH SƠN"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

#: A công văn in the usual two-column order, one column after the other.
CONG_VAN = """ỦY BAN NHÂN DÂN
HUYỆN MINH SƠN
-------
Số: 214/UBND-TNMT
V/v rà soát hiện trạng sử dụng đất công trên địa bàn các xã năm 2025
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Minh Sơn, ngày 12 tháng 3 năm 2025

Kính gửi:
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
"""

#: A giấy mời with a title line, its subject in capitals over two lines, and a meeting.
GIAY_MOI = """SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
TRUNG TÂM KHUYẾN NÔNG
Số: 37/GM-TTKN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lâm Hà, ngày 04 tháng 9 năm 2024
GIẤY MỜI
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
"""

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

LETTERS = {"cong_van": CONG_VAN, "giay_moi": GIAY_MOI, "ke_hoach": KE_HOACH}
