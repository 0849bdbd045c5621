"""Vietnamese wording shared by messages, the reminder letter and the digest. Pure.

Dates and times are worded by :mod:`shared.wording` (the one wording, also the dashboard's).

Text from events may hold anything (older events, direct producers): what these helpers return is
one clean line (:func:`shared.safe_text.clean_line`), safe in a header, a .docx run or a CSV cell.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from shared.safe_text import clean_line
from shared.wording import at_time


def vn_duration(delta: timedelta) -> str:
    """'2 ngày 3 giờ', '5 giờ 20 phút', '45 phút' (calendar time, sign ignored)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} ngày" + (f" {hours} giờ" if hours else "")
    if hours:
        return f"{hours} giờ" + (f" {mins} phút" if mins else "")
    return f"{mins} phút" if mins else "dưới 1 phút"


def local_time(at: datetime) -> str:
    """'17:00 ngày 16/02/2024' in Vietnam time: :func:`shared.wording.at_time`, the one wording."""
    return at_time(at)


def document_ref(number: str | None, notation: str | None) -> str:
    """'số 123/SCT-VP' (Số/Ký hiệu), or a note that the document has none."""
    number, notation = clean_line(number or "").strip(), clean_line(notation or "").strip()
    if number and notation:
        return f"số {number}/{notation}"
    if number or notation:
        return f"số {number or notation}"
    return "(chưa có số, ký hiệu)"


def strip_vv(subject: str | None) -> str:
    """The trích yếu without a leading 'V/v' (templates add their own)."""
    text = clean_line(subject or "").strip()
    if text[:3].lower() == "v/v":
        text = text[3:].lstrip(" :")
    return text or "(không có trích yếu)"


def unit_label(code: str | None, name: str | None = None) -> str:
    """'Phòng Quản lý Thương mại (QLTM)', or the code alone when the name is the code or unknown."""
    code, name = clean_line(code or "").strip(), clean_line(name or "").strip()
    return code if not name or name == code else f"{name} ({code})" if code else name


def letter_date(place: str, day: date) -> str:
    """'Mẫu, ngày 05 tháng 02 năm 2024': Decree 30 pads days below 10 and months 1 and 2 with 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
