"""Hạn xử lý: deadlines the document itself sets.

"gửi báo cáo về Sở Nội vụ trước ngày 10/9/2015", "chậm nhất ngày ...",
"trước 17h ngày 30 tháng 11 năm 2022", "hạn chót: ...".  Dates mentioned for other
reasons (cited documents, holidays) are not deadlines: a deadline word must lead
straight to the date.
"""

from __future__ import annotations

import re

from services.ingest.parsing.dates import DATE, day_month, find_dates, find_times
from services.ingest.parsing.model import Deadline, Extracted, extracted
from services.ingest.parsing.text import WorkingText, collapse

_KEYWORD = re.compile(
    r"(?<![^\W\d_])(?:trước|chậm\s*nhất(?:\s*là)?|hạn\s*chót|hạn\s*cuối|thời\s*hạn|hạn)"
    r"\s*:?\s*(?:vào\s*)?(?:lúc\s*)?"
    r"(?P<time>\d{1,2}\s*(?:giờ|h)(?:\s*\d{2}\s*(?:phút|')?)?\s*,?\s*)?"
    r"(?:(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật)\s*,?\s*)?"
    r"(?:ngày|NGÀY)?\s*(?=\d)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;!?:](?=\s)|\n\s*[-–+•]")
_WHO_WHAT = re.compile(
    r"(?:đề\s*nghị|giao|yêu\s*cầu)\s+(?P<who>.+?)\s+(?P<what>(?:gửi|nộp|báo\s*cáo|hoàn\s*thành"
    r"|hoàn\s*thiện|tham\s*mưu|có\s*ý\s*kiến|cho\s*ý\s*kiến|thực\s*hiện|đăng\s*ký|cung\s*cấp)\b.*)$",
    re.IGNORECASE,
)


def read_deadlines(wt: WorkingText, year_hint: int | None) -> list[Extracted[Deadline]]:
    """Deadlines in ``wt``; ``year_hint`` completes dates written without a year."""
    result: list[Extracted[Deadline]] = []
    seen: set[tuple[str, str | None]] = set()
    for match in _KEYWORD.finditer(wt.text):
        date_match = DATE.match(wt.text, match.end())
        if date_match:
            dates = find_dates(wt.text, date_match.start(), date_match.end())
            date, end = (dates[0].value, date_match.end()) if dates else (None, match.end())
        elif year_hint:
            found = day_month(wt.text, match.end(), match.end() + 8, year_hint)
            ok = found is not None and found.start == match.end()
            date, end = (found.value, found.end) if found and ok else (None, match.end())
        else:
            date, end = None, match.end()
        if date is None:
            continue
        time = None
        if match.group("time"):
            times = find_times(wt.text, *match.span("time"))
            time = times[0].value if times else None
        if (date, time) in seen:
            continue
        seen.add((date, time))
        who, what = _who_what(wt.text, match.start())
        deadline = Deadline(date=date, time=time, what=what, who=who)
        result.append(extracted(wt, deadline, match.start(), end))
    return result


def _who_what(text: str, pos: int) -> tuple[str | None, str | None]:
    window = text[max(0, pos - 400) : pos]
    cuts = [m.end() for m in _CLAUSE_END.finditer(window)]
    clause = collapse(window[cuts[-1] :] if cuts else window).rstrip(" ,")
    if not clause:
        return None, None
    match = _WHO_WHAT.search(clause)
    if match:
        return match.group("who"), match.group("what")
    return None, clause
