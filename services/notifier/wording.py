"""Vietnamese wording shared by messages, the reminder letter and the digest. Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from shared.clock import VIETNAM_TZ


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
    """'17:00 ngày 16/02/2024' in Vietnam time."""
    return at.astimezone(VIETNAM_TZ).strftime("%H:%M ngày %d/%m/%Y")


def document_ref(number: str | None, notation: str | None) -> str:
    """'số 123/SCT-VP' (Số/Ký hiệu), or a note that the document has none."""
    if number and notation:
        return f"số {number}/{notation}"
    if number or notation:
        return f"số {number or notation}"
    return "(chưa có số, ký hiệu)"


def strip_vv(subject: str | None) -> str:
    """The trích yếu without a leading 'V/v' (templates add their own)."""
    text = (subject or "").strip()
    if text[:3].lower() == "v/v":
        text = text[3:].lstrip(" :")
    return text or "(không có trích yếu)"


def letter_date(place: str, day: date) -> str:
    """'Mẫu, ngày 05 tháng 02 năm 2024': Decree 30 pads days below 10 and months 1 and 2 with 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
