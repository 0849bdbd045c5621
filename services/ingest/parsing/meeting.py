"""Cuộc họp: date, time and place of the meeting a document convenes (giấy mời họp).

A meeting is recognised by its place label ("Địa điểm: Phòng họp lớn Sở Công
Thương").  Date and time come from the "Thời gian:" line (or the line below it),
else from a phrase such as "lúc 15h00 ngày 21/7/2017", else the date is looked for
on the place line.  Without a place label, a sentence about a gathering that says
when and where ("họp ... vào lúc 14 giờ ngày 28/3/2025, tại Phòng họp số 2") is one.
"""

from __future__ import annotations

import re

from services.ingest.parsing.dates import find_dates, find_times
from services.ingest.parsing.meeting_phrase import meeting_in_sentence
from services.ingest.parsing.model import Extracted, Meeting, extracted
from services.ingest.parsing.text import WorkingText, collapse

_PLACE = re.compile(r"(?<![^\W\d_])[Đđ]ịa\s*điểm(?:\s*(?:họp|tổ\s*chức))?\s*:\s*(?P<place>[^\n]+)")
_WHEN = re.compile(r"(?<![^\W\d_])Thời\s*gian\b")
_TIME_THEN_DATE = re.compile(
    r"(?<![\d.,:/])\d{1,2}\s*(?:giờ|h)\s*(?:\d{2}\s*(?:phút|')?)?\s*,?\s*"
    r"(?:\(?(?:sáng|chiều|tối)?\s*(?:thứ\s*\w+|chủ\s*nhật)\)?\s*,?\s*)?ngày\s*\d",
    re.IGNORECASE,
)
_AT = re.compile(r"^(?:[-–—+•*]\s*|[a-zđ]\)\s*)*(?:tại|Tại)?\s*")
_LABEL = re.compile(r"^(?:[-–—+•*]\s*|\d+(?:\.\d+)*[.)]\s*)?[^\W\d_][^:\n]{0,25}:")
_TIME_TAIL = re.compile(r"[,;(]?\s*(?:vào\s*)?(?:lúc|hồi)\s*\d.*$|[,;(]\s*(?:từ\s*)?\d{1,2}\s*(?:giờ|h|:).*$")
_STOP_WORDS = re.compile(r"^(?:\d+[.)]|[-–—+•*]|[a-zđ]\)|Thành\s*phần|Nội\s*dung|Thời\s*gian|Chủ\s*trì)")


def read_meeting(wt: WorkingText) -> Extracted[Meeting] | None:
    """The convened meeting, or None when the document names no place for one."""
    place_match = next((m for m in _PLACE.finditer(wt.text) if not _LABEL.match(m.group("place"))), None)
    if not place_match:
        return meeting_in_sentence(wt)
    place_start, place_end = place_match.span("place")
    place_end = _wrap(wt, place_end)
    place = _TIME_TAIL.sub("", _AT.sub("", collapse(wt.text[place_start:place_end]))).rstrip(" .;,")
    date = time = None
    spans = [place_match.start(), place_end]
    for when in _WHEN.finditer(wt.text):
        line_end = _wrap(wt, wt.text.find("\n", when.end()) % (len(wt.text) + 1))
        line_end = _next_line_too(wt, when.end(), line_end)
        dates = find_dates(wt.text, when.end(), line_end)
        times = find_times(wt.text, when.end(), line_end)
        if dates or times:
            date = dates[0].value if dates else None
            time = times[0].value if times else None
            spans += [when.start(), line_end]
            break
    if date is None or time is None:
        phrase = _TIME_THEN_DATE.search(wt.text)
        if phrase:
            dates = find_dates(wt.text, phrase.start(), phrase.end() + 20)
            times = find_times(wt.text, phrase.start(), phrase.end())
            if date is None and time is None and dates:
                date = dates[0].value
            if time is None and times:
                time = times[0].value
            spans += [phrase.start(), phrase.end()]
    if date is None:
        line_start = wt.text.rfind("\n", 0, place_match.start()) + 1
        dates = find_dates(wt.text, line_start, place_end)
        date = dates[0].value if dates else None
    meeting = Meeting(date=date, time=time, place=place or None)
    return extracted(wt, meeting, min(spans), max(spans))


def _wrap(wt: WorkingText, end: int) -> int:
    """Extend a labelled line over up to two wrapped continuation lines."""
    index = wt.line_at(end)
    for line in wt.lines[index + 1 : index + 3]:
        if wt.text[:end].rstrip().endswith((".", ";")) or _STOP_WORDS.match(line.text):
            break
        if not line.text[:1].islower():
            break
        end = line.end
    return end


def _next_line_too(wt: WorkingText, start: int, end: int) -> int:
    """A "Thời gian:" line without a time goes on to the next line ("(từ 7h30)")."""
    if find_times(wt.text, start, end):
        return end
    index = wt.line_at(end) + (0 if wt.text[end : end + 1] != "\n" else 1)
    lines = wt.lines
    if index < len(lines) and lines[index].start >= end and not _STOP_WORDS.match(lines[index].text):
        return lines[index].end
    return end
