"""The one Vietnamese wording of dates and times, in Vietnam's time zone. Pure.

Every service writes a moment the same way, "17:00 ngày 16/02/2024", and a day as "ngày 16/02/2024"
(or "16/02/2024" where a label already says it is a date). An aware datetime is shown in Vietnam time
(UTC+7); a naive one is taken as Vietnam time already.
"""

from __future__ import annotations

from datetime import date, datetime

from shared.clock import VIETNAM_TZ


def in_vietnam(at: datetime) -> datetime:
    """``at`` in Vietnam time (a naive datetime is taken as Vietnam time already)."""
    return at.replace(tzinfo=VIETNAM_TZ) if at.tzinfo is None else at.astimezone(VIETNAM_TZ)


def day_month_year(day: date | datetime) -> str:
    """'16/02/2024'; for a datetime, its day in Vietnam."""
    if isinstance(day, datetime):
        day = in_vietnam(day).date()
    return day.strftime("%d/%m/%Y")


def on_date(day: date | datetime) -> str:
    """'ngày 16/02/2024'; for a datetime, its day in Vietnam."""
    return f"ngày {day_month_year(day)}"


def at_time(at: datetime) -> str:
    """'17:00 ngày 16/02/2024' in Vietnam time."""
    local = in_vietnam(at)
    return f"{local:%H:%M} {on_date(local)}"
