"""Vietnamese words and formats of the dashboard. Pure: no I/O.

Every label the leadership reads comes from here, so the wording is consistent across pages and
can be reviewed in one place; dates and times are worded by :mod:`shared.wording`, like the
notifier's messages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.events_exchange import Urgency
from shared.wording import at_time, day_month_year

STATUS = {
    "received": "Đã nhận, chưa tiếp nhận",
    "acknowledged": "Đã tiếp nhận",
    "assigned": "Đã phân công xử lý",
    "in_progress": "Đang xử lý",
    "completed": "Hoàn thành",
    "declined": "Từ chối",
    "transferred": "Chuyển đơn vị khác",
    "cancelled": "Đã hủy",
}
"""Assignment status (the edXML ladder) → words."""

REPLY = {
    "on_time": "Trả lời đúng hạn",
    "late": "Trả lời trễ hạn",
    "overdue": "Quá hạn, chưa trả lời",
    "pending": "Chưa đến hạn",
    "declined": "Từ chối",
    "transferred": "Đã chuyển",
    "cancelled": "Đã hủy",
}
"""Reply state of :func:`services.tracker.reports.reply_state` → words, in matrix column order."""

ROLE = {"lead": "Chủ trì", "coordinating": "Phối hợp"}

FLAG = {"overdue": "Quá hạn", "due_soon": "Sắp đến hạn", "open": "Còn hạn"}
"""Worklist flags of :func:`services.tracker.reports.worklist`."""

ACTION = {
    "acknowledge": "xác nhận đã tiếp nhận",
    "progress": "báo cáo tiến độ",
    "complete": "báo cáo hoàn thành",
    "decline": "từ chối",
    "transfer": "chuyển",
}

SIGNAL = {
    "unacknowledged": "Nhắc: chưa tiếp nhận",
    "approaching": "Nhắc: sắp đến hạn",
    "overdue:1": "Quá hạn mức 1 (trưởng đơn vị)",
    "overdue:2": "Quá hạn mức 2 (Văn phòng Sở)",
    "overdue:3": "Quá hạn mức 3 (Phó Giám đốc, Giám đốc)",
}
"""Tracker deadline signals (``services.tracker.signals.SIGNALS``) → words."""

NOTICE = {
    "overdue": "nhắc quá hạn",
    "approaching": "nhắc sắp đến hạn",
    "unacknowledged": "nhắc chưa tiếp nhận",
    "disputed": "báo đùn đẩy",
    "digest": "bản tin tổng hợp hằng ngày",
    "blocker": "báo vướng mắc chờ chỉ đạo",
    "direction": "ý kiến chỉ đạo về vướng mắc",
    "extension": "báo đề nghị gia hạn chờ quyết định",
    "extension_decision": "quyết định về đề nghị gia hạn",
    "withdrawn": "báo văn bản bị thu hồi, thay thế",
}
"""Kinds of notifications (``NotificationFailed.kind``) → words."""

STEP = {"claim": "nhận việc gửi", "render": "soạn nội dung", "send": "gửi đi",
        "record": "ghi nhận kết quả"}
"""The delivery step that failed (``NotificationFailed.step``) → words."""

CHANNEL = {"email": "thư điện tử", "webhook": "webhook", "log": "nhật ký"}

SIGNATURE = {
    "valid": "Chữ ký số hợp lệ",
    "untrusted": "Chữ ký số nguyên vẹn nhưng chưa được xác thực (chứng thư không thuộc danh sách tin cậy)",
    "invalid": "Chữ ký số KHÔNG hợp lệ: văn bản đã bị sửa sau khi ký hoặc chữ ký hỏng",
    "unsigned": "Văn bản không có chữ ký số",
}
"""A document signature's verdict (``DocumentSignature.status``) → words."""

FIELD = {
    "subject": "Trích yếu",
    "number": "Số",
    "notation": "Ký hiệu",
    "doc_type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "parent_issuer": "Cơ quan chủ quản",
    "place": "Địa danh",
    "issued_on": "Ngày ban hành",
    "recipients": "Kính gửi",
    "deadlines": "Hạn nêu trong văn bản",
    "meeting": "Cuộc họp",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Người ký",
    "distribution": "Nơi nhận",
    "due_at": "Hạn do nơi gửi nêu",
}
"""Dispatch fields shown on a dispatch page, in order (keys of the dispatch document)."""


URGENCY_ORDER = ("express", "very_urgent", "urgent")
"""Độ khẩn values with a badge, most urgent first (thường has none)."""


def urgency_badge(value: Any) -> str:
    """The red badge of a dispatch's độ khẩn: 'HỎA TỐC', 'THƯỢNG KHẨN', 'KHẨN'; '' otherwise."""
    if value not in URGENCY_ORDER:
        return ""
    return Urgency(value).label.upper()


def urgency_rank(value: Any) -> int:
    """0 for hỏa tốc, 1 thượng khẩn, 2 khẩn, 3 anything else (for sorting, most urgent first)."""
    return URGENCY_ORDER.index(value) if value in URGENCY_ORDER else len(URGENCY_ORDER)


def status_text(status: str) -> str:
    """Words for an assignment status (the code itself if unknown)."""
    return STATUS.get(status, status)


def as_datetime(value: Any) -> datetime | None:
    """A datetime from MongoDB (aware) or from an ISO string; None otherwise."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def when(value: Any) -> str:
    """'17:00 ngày 16/02/2024' in Vietnam time (:func:`shared.wording.at_time`), or '—'."""
    at = as_datetime(value)
    return "—" if at is None else at_time(at)


def day(value: Any) -> str:
    """'16/02/2024' from a date or an ISO date string, or the value as is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    return day_month_year(value) if isinstance(value, date) else "—"


def days_late(delta: timedelta) -> str:
    """'3 ngày', '5 giờ', '20 phút' or 'vừa quá hạn' for how long past a deadline."""
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 24 * 60:
        return f"{minutes // (24 * 60)} ngày"
    if minutes >= 60:
        return f"{minutes // 60} giờ"
    return f"{minutes} phút" if minutes > 0 else "vừa quá hạn"


def percent(rate: float | None) -> str:
    """'85%' or 'chưa có' when nothing was due yet."""
    return "chưa có" if rate is None else f"{round(rate * 100)}%"
