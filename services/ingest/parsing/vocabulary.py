"""Vietnamese administrative vocabulary used by the parser (Decree 30/2020/NĐ-CP).

Regex fragments here are plain strings so the modules that use them can combine
them; keep them free of capturing groups.
"""

from __future__ import annotations

#: Tên loại văn bản, written as a standalone title line (Decree 30, Appendix III).
# fmt: off
DOC_TYPE_TITLES: tuple[str, ...] = (
    "Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo",
    "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo",
    "Biên bản", "Tờ trình", "Hợp đồng", "Công điện", "Bản ghi nhớ", "Bản thỏa thuận",
    "Giấy ủy quyền", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi",
    "Phiếu chuyển", "Phiếu báo", "Thư công", "Công văn", "Thư ngỏ", "Thông tri",
)
# fmt: on

#: Types that may open a headless web notice in mixed case ("Giấy mời dự ...").
#: "Báo cáo" is left out on purpose: as a verb it opens ordinary subjects.
LEADING_TYPES: tuple[str, ...] = (
    "Giấy mời", "Thông báo", "Kế hoạch", "Quyết định", "Thông tri", "Thư ngỏ", "Chỉ thị",
)

#: Chữ viết tắt tên loại văn bản in a notation ("KH-UBND" is a Kế hoạch).
# fmt: off
NOTATION_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế",
    "QyĐ": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
    "CTr": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án",
    "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình", "HĐ": "Hợp đồng",
    "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo",
}
# fmt: on

#: Words that cite a document before its number ("Công văn số 12/UBND-VP").
CITING_WORDS = (
    r"công\s*văn|văn\s*bản|quyết\s*định|chỉ\s*thị|kết\s*luận|nghị\s*định|nghị\s*quyết"
    r"|thông\s*tư|thông\s*báo|kế\s*hoạch|báo\s*cáo|hướng\s*dẫn|tờ\s*trình|công\s*điện"
    r"|luật|CV|QĐ|CT|số"
)

#: First words of an agency name (cơ quan, tổ chức).
AGENCY_HEADS = (
    r"Bộ|Sở|Cục|Tổng\s*cục|Chi\s*cục|Vụ|Ban|Văn\s*phòng|(?:Ủy|Uỷ)\s*ban\s*nhân\s*dân|UBND"
    r"|Hội\s*đồng\s*nhân\s*dân|HĐND|Trung\s*tâm|Phòng|Viện|Đài|Thanh\s*tra"
    r"|Kho\s*bạc|Công\s*an|Bảo\s*hiểm\s*xã\s*hội|Nhà\s*trường|Trường(?!\s*hợp)|Học\s*viện|Đại\s*học"
    r"|Bệnh\s*viện|Công\s*đoàn|(?:Ban\s*)?Thường\s*vụ|Ban\s*Chấp\s*hành|(?:Đảng|Huyện|Tỉnh|Thành)\s*(?:ủy|uỷ)"
)

#: Uppercase agency heads that start a new header line (not a wrapped continuation).
# fmt: off
UPPER_AGENCY_HEADS: tuple[str, ...] = (
    "BỘ", "SỞ", "CỤC", "TỔNG CỤC", "CHI CỤC", "VỤ", "BAN", "VĂN PHÒNG", "ỦY BAN", "UỶ BAN",
    "UBND", "HỘI ĐỒNG", "HĐND", "TRUNG TÂM", "PHÒNG", "VIỆN", "ĐÀI", "THANH TRA", "KHO BẠC",
    "CÔNG AN", "BẢO HIỂM", "TRƯỜNG", "BỆNH VIỆN", "TÒA ÁN", "VIỆN KIỂM SÁT", "TỔNG",
    "ĐẢNG", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "ĐOÀN", "MẶT TRẬN", "NGÂN HÀNG", "CÔNG TY",
    "HỌC VIỆN", "ĐẠI HỌC", "QUỸ", "TẬP ĐOÀN", "CHI BỘ", "CÔNG ĐOÀN", "LIÊN ĐOÀN", "KIỂM TOÁN",
    "HUYỆN ĐOÀN", "TỈNH ĐOÀN", "THÀNH ĐOÀN", "QUẬN ỦY", "THỊ ỦY", "HỘI ",
)
# fmt: on

#: Administrative units that complete an "ỦY BAN NHÂN DÂN" line on the next line.
ADMIN_UNITS = r"TỈNH|THÀNH\s*PHỐ|HUYỆN|QUẬN|THỊ\s*XÃ|XÃ|PHƯỜNG|THỊ\s*TRẤN"

#: Verbs an issuing body uses about itself in a headless notice.
ISSUER_VERBS = (
    r"đề\s*nghị|thông\s*báo|tổ\s*chức|nhận\s*được|kính\s*mời|trân\s*trọng|có\s*ý\s*kiến"
    r"|ban\s*hành|banh|yêu\s*cầu|hướng\s*dẫn|trả\s*lời|kính\s*g[ửở]i"
)

#: Heads who speak for their body ("Giám đốc Sở X thông báo").
LEADER_TITLES = r"Giám\s*đốc|Chủ\s*tịch|Thủ\s*trưởng|Bộ\s*trưởng|Cục\s*trưởng|Chánh\s*Văn\s*phòng"

#: Words that open the body of a document (after the header).
BODY_OPENERS = (
    r"Thực\s*hiện|Căn\s*cứ|Theo|Xét|Để|Nhằm|Trước|Sau\s*khi|Vừa\s*qua|Nhận\s*được|Tiếp\s*theo"
    r"|Trong|Được|Đến"
)

#: Signing authority prefixes: ký thay, thừa lệnh, thay mặt, thừa ủy quyền.
SIGNING_PREFIX = r"(?:KT|TL|TM|TUQ)\s*\.\s*"

#: Authority line of a Quyết định ("CHỦ TỊCH ỦY BAN NHÂN DÂN ..."), ends a title block.
AUTHORITY_LINE = (
    r"(?:CHỦ\s*TỊCH|BỘ\s*TRƯỞNG|GIÁM\s*ĐỐC|THỦ\s*TRƯỞNG|TỔNG\s*CỤC\s*TRƯỞNG|CỤC\s*TRƯỞNG|HIỆU\s*TRƯỞNG"
    r"|VIỆN\s*TRƯỞNG|TRƯỞNG\s*BAN|CHÁNH\s*VĂN\s*PHÒNG|(?:ỦY|UỶ)\s*BAN\s*NHÂN\s*DÂN|HỘI\s*ĐỒNG\s*NHÂN\s*DÂN"
    r"|BAN\s*THƯỜNG\s*VỤ|BAN\s*CHẤP\s*HÀNH)\b"
)
#: Words that end a line of a capitalised subject which goes on ("... CỦA / ỦY BAN ...").
CONNECTORS = ("CỦA", "VÀ", "CHO", "VỚI", "TẠI", "THUỘC", "VỀ", "GIỮA", "TRONG", "ĐỐI VỚI", "TRỰC THUỘC")

#: Whole lines a web page leaves around a letter (menus, buttons, site names, loaders).
WEB_LEFTOVERS = (
    r"skip\s+ribbon\s+commands|skip\s+to\s+(?:main\s+)?content|bỏ\s+qua\s+nội\s+dung(?:\s+chính)?"
    r"|in\s+trang|in\s+bài(?:\s+viết)?|in\s+văn\s+bản|bản\s+in|print|gửi\s+email|email|chia\s+sẻ|share"
    r"|tweet|facebook|zalo|\[?logo\b[^\n]{0,60}|banner|ảnh\s+minh\s+họa|tin\s+nổi\s+bật|tin\s+liên\s+quan|tin\s+khác"
    r"|tin\s+mới(?:\s+nhất)?|các\s+tin\s+khác|tin\s+cùng\s+chuyên\s+mục|bài\s+viết\s+liên\s+quan"
    r"|xem\s+thêm|trang\s+chủ(?:\s*[>»›/][^\n]*)?|đăng\s+nhập|đăng\s+ký|tìm\s+kiếm|sơ\s+đồ\s+(?:site|trang)"
    r"|chuyển\s+đến\s+nội\s+dung(?:\s+chính)?|chọn\s+ngôn\s+ngữ|phóng\s+to|thu\s+nhỏ|cỡ\s+chữ|lượt\s+thích"
    r"|hệ\s+thống\s+pháp\s+luật|văn\s+bản\s+liên\s+quan|quay\s+lại|về\s+đầu\s+trang|top"
    r"|(?:số\s+)?lượt\s+xem\s*:?\s*\d*|(?:cập\s+nhật|ngày\s+đăng|đăng\s+ngày)\s*:?[^\n]{0,40}"
    r"|đang\s+tải\s+nội\s+dung[^\n]*|tải\s+bản\s+đầy\s+đủ[^\n]*|bạn\s+đang\s+xem\s+bản\s+rút\s+gọn[^\n]*"
    r"|xem\s+và\s+tải[^\n]*"
)

#: Slogans standing where the national motto stands: a union's or the Party's heading line.
MOTTO_LINES = r"VÌ\s+[^\n]{3,80}|SẴN\s+SÀNG!?|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM"
