"""Dates and times as written in Vietnamese documents (day-month-year order).

Recognised: ``10/8/2023``, ``03.12.2007``, ``07-9-2015``, ``ngày 10 tháng 8 năm 2023``;
times ``09 giờ``, ``08 giờ 30 phút``, ``15h00``, ``13h30'``, ``17h``, ``9:30``.
Output dates are ISO ``YYYY-MM-DD`` and times ``HH:MM``; impossible values are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_NUMERIC = r"(?<!\d)(?P<d1>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m1>\d{1,2})\s*(?P=sep)\s*(?P<y1>\d{4})(?!\d)"
_WORDY = r"(?<!\d)(?P<d2>\d{1,2})\s*tháng\s*(?P<m2>\d{1,2})\s*,?\s*năm\s*(?P<y2>\d{4})(?!\d)"
DATE = re.compile(f"{_NUMERIC}|{_WORDY}", re.IGNORECASE)
DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})(?!\s*[/.\-]?\s*\d)")
TIME = re.compile(
    r"(?<![\d.,:/])(?P<h1>\d{1,2})\s*(?:giờ|h|g(?=\d))"
    r"(?:\s*(?P<m1>\d{2})(?!\d)\s*(?:phút|')?)?(?![^\W\d_])"
    r"|(?<![\d.,:/])(?P<h2>\d{1,2}):(?P<m2>\d{2})(?![\d:])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass(frozen=True, slots=True)
class Found:
    """A recognised date or time: ISO value and its offsets in the searched text."""

    start: int
    end: int
    value: str


def iso_date(day: int, month: int, year: int) -> str | None:
    """ISO date for day, month, year, or None when no such day exists."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_time(hour: int, minute: int) -> str | None:
    """``HH:MM`` for hour and minute, or None when out of range."""
    return f"{hour:02d}:{minute:02d}" if 0 <= hour < 24 and 0 <= minute < 60 else None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[Found]:
    """All valid full dates in ``text[start:end]`` (offsets relative to ``text``)."""
    found = []
    for m in DATE.finditer(text, start, len(text) if end is None else end):
        if m.group("d1"):
            day, month, year = m.group("d1"), m.group("m1"), m.group("y1")
        else:
            day, month, year = m.group("d2"), m.group("m2"), m.group("y2")
        value = iso_date(int(day), int(month), int(year))
        if value:
            found.append(Found(m.start(), m.end(), value))
    return found


def first_date(text: str, start: int = 0, end: int | None = None) -> Found | None:
    """The first valid full date in ``text[start:end]``."""
    dates = find_dates(text, start, end)
    return dates[0] if dates else None


def find_times(text: str, start: int = 0, end: int | None = None) -> list[Found]:
    """All valid clock times in ``text[start:end]``."""
    found = []
    for m in TIME.finditer(text, start, len(text) if end is None else end):
        hour = m.group("h1") or m.group("h2")
        minute = m.group("m1") or m.group("m2") or "0"
        value = iso_time(int(hour), int(minute))
        if value:
            found.append(Found(m.start(), m.end(), value))
    return found


def day_month(text: str, start: int, end: int, year: int) -> Found | None:
    """The first ``day/month`` without a year in ``text[start:end]``, completed with ``year``."""
    for m in DAY_MONTH.finditer(text, start, end):
        value = iso_date(int(m.group(1)), int(m.group(2)), year)
        if value:
            return Found(m.start(), m.end(), value)
    return None


def likely_year(text: str) -> int | None:
    """The most frequent plausible year written in ``text`` (for dates without a year)."""
    years = [int(y) for y in _YEAR.findall(text)]
    return max(set(years), key=years.count) if years else None
