"""A meeting stated inside a sentence, without the "Địa điểm:" label.

"Họp Ban Thường vụ vào lúc 14 giờ, thứ Tư, ngày 28/3/2025, tại Phòng họp số 2." or
"tổ chức hội nghị tại Hội trường A vào lúc 8h00 ngày 12/3/2025": a time word
("vào lúc", "lúc", "hồi", "vào") leading to a clock time, a full date in the same
sentence, a place after "tại", and a word for a gathering (họp, hội nghị, ...) in the
sentence.  A time and date alone (a deadline) is not a meeting.
"""

from __future__ import annotations

import re

from services.ingest.parsing.dates import find_dates, find_times
from services.ingest.parsing.model import Extracted, Meeting, extracted
from services.ingest.parsing.text import WorkingText, collapse

_AT_TIME = re.compile(
    r"(?<![^\W\d_])(?:vào\s*(?:lúc|hồi)?|lúc|hồi)\s*(?=\d{1,2}\s*(?:giờ|h|g\d|:\d))", re.IGNORECASE
)
#: A sentence ends at . ; ! ?, at a blank line, or where a list item begins on the next line.
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n[ \t]*(?=\n|[-–+•]|\d+[.)]\s)")
_GATHERING = re.compile(
    r"(?<![^\W\d_])(?:họp|hội\s*nghị|hội\s*thảo|tập\s*huấn|làm\s*việc|giao\s*ban|đối\s*thoại"
    r"|lễ|tọa\s*đàm|diễn\s*đàn|tham\s*dự|khai\s*mạc|bốc\s*thăm)(?![^\W\d_])",
    re.IGNORECASE,
)
_AT_PLACE = re.compile(r"(?<![^\W\d_])tại\s+(?P<place>[^\n;]+?)\s*(?=[,;]?\s*(?:vào\s*)?(?:lúc|hồi)\b|$)")
_PLACE_TAIL = re.compile(r"\s*[,(]\s*(?:nhằm|để|do|theo|với|chủ\s*trì|thành\s*phần)\b.*$", re.IGNORECASE)


def meeting_in_sentence(wt: WorkingText) -> Extracted[Meeting] | None:
    """The first sentence that convenes a gathering at a stated time, date and place."""
    text = wt.text
    for at_time in _AT_TIME.finditer(text):
        times = find_times(text, at_time.end(), at_time.end() + 20)
        if not times or times[0].start != at_time.end():
            continue
        begin = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at_time.start() - 300),
                                                              at_time.start())), default=0)
        stop = _SENTENCE_END.search(text, times[0].end)
        end = stop.start() if stop else len(text)
        dates = find_dates(text, times[0].end, end)
        if not dates or not _GATHERING.search(text, begin, end):
            continue
        place = _place(text, begin, at_time.start(), dates[0].end, end)
        if place is None:
            continue
        meeting = Meeting(date=dates[0].value, time=times[0].value, place=place)
        return extracted(wt, meeting, begin, end)
    return None


def _place(text: str, begin: int, time_start: int, date_end: int, end: int) -> str | None:
    """The place after "tại": after the date, else just before the time phrase."""
    for start, stop in ((date_end, end), (begin, time_start)):
        match = _AT_PLACE.search(text[start:stop])
        if match:
            place = _PLACE_TAIL.sub("", collapse(match.group("place"))).strip(" ,.;")
            if place:
                return place
    return None
