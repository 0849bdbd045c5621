"""Place and date of issue (địa danh, ngày tháng năm ban hành) in the header.

"Hà Nội, ngày 05 tháng 3 năm 2025" in the right column (or beside the number), also
without the comma ("Hà Nội ngày 5 tháng 3 ..."), without "ngày" ("Hà Nội, 05/3/2025"),
wrapped after the comma, or left blank ("ngày ... tháng ... năm ...").  Without a
place-date line, a date right after the number ("Số: 12/UBND-VP ngày 3/4/2025").
"""

from __future__ import annotations

import re

from services.ingest.parsing.dates import first_date, iso_date
from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.text import Line, WorkingText, collapse

PLACE_COMMA = re.compile(r",\s*ngày\b", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r",\s*ngày\b|(?<=[^\W\d_])[ \t]+(?=ngày\s*\d{1,2}\s*tháng)"
    r"|,[ \t]*(?=\d{1,2}\s*([/.-])\s*\d{1,2}\s*\1\s*\d{4})",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[\s,]*")
_BLANKABLE_DATE = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*,?\s*năm\s*(\d{4})?", re.IGNORECASE)
_DATE_AFTER_NUMBER = re.compile(r"[ \t]*[,(]?[ \t]*ngày[ \t]*", re.IGNORECASE)
_LABELLED = re.compile(r"^(?:Số|V/v|Về|Kính|Nơi|Độc)\b", re.IGNORECASE)
MAX_PLACE_WORDS = 6


def is_place_date(text: str) -> bool:
    """A line holding a cell "Hà Nội, ngày ...": a short capitalised place before ", ngày"."""
    if not PLACE_COMMA.search(text):
        return False
    for cell in Line(0, len(text), text).cells(5):
        comma = PLACE_COMMA.search(cell.text)
        words = len(cell.text[: comma.start()].split()) if comma else 0
        if cell.text[0].isupper() and 0 < words <= MAX_PLACE_WORDS:
            return True
    return False


def read_place_date(
    wt: WorkingText, begin: int, limit: int, number_end: int
) -> tuple[Extracted[str] | None, Extracted[str] | None]:
    """(place, issued_on) of the header in ``wt.text[begin:limit]``; ``number_end`` is where
    the own number ends (-1 without one)."""
    for comma in _PLACE_DATE.finditer(wt.text, begin, limit):
        line = wt.lines[wt.line_at(comma.start())]
        cut = max(line.start, number_end if number_end <= comma.start() else line.start)
        gaps = [m.end() for m in re.finditer(r"\s{3,}", wt.text[cut : comma.start()])]
        cut += gaps[-1] if gaps else 0
        place = wt.text[cut : comma.start()].strip(" \t-–:")
        head = _wrapped_place_head(wt, wt.line_at(comma.start())) if cut == line.start else None
        if head is not None:  # "Thành phố Hồ Chí" / "Minh, ngày ...": the place wrapped
            cut, place = head.start, wt.text[head.start : comma.start()].strip(" \t-–:")
        words = place.split()
        if not (0 < len(words) <= MAX_PLACE_WORDS and place[0].isupper()) or re.search(r"[\d:/]", place):
            continue
        start = cut + wt.text[cut:].index(place)
        found_place = extracted(wt, collapse(place), start, start + len(place))
        return found_place, _date_at(wt, comma)
    if number_end >= 0:
        after = _DATE_AFTER_NUMBER.match(wt.text, number_end)
        if after:
            found = first_date(wt.text, after.end(), after.end() + 24)
            if found and found.start == after.end():
                return None, extracted(wt, found.value, found.start, found.end)
    return None, None


def _wrapped_place_head(wt: WorkingText, index: int) -> Line | None:
    """The start of a place name wrapped from the line above: that line's last cell when it
    is a short capitalised fragment right above (no blank line, no digits, not a label)."""
    if index == 0:
        return None
    above, line = wt.lines[index - 1], wt.lines[index]
    if wt.text.count("\n", above.end, line.start) > 1:
        return None
    cell = above.cells(3)[-1]
    text = cell.text
    if not text[:1].isupper() or text.isupper() or len(text.split()) > 4 or re.search(r"[\d:;,./]", text):
        return None
    return None if _LABELLED.match(text) else cell


def _date_at(wt: WorkingText, comma: re.Match[str]) -> Extracted[str] | None:
    separator = _SEPARATOR.match(wt.text, comma.start())
    date_at = separator.end() if separator else comma.end()
    date = _BLANKABLE_DATE.match(wt.text, date_at)
    if date:
        value = iso_date(int(date[1]), int(date[2]), int(date[3])) if all(date.groups()) else None
        return extracted(wt, value, *date.span()) if value else None
    found = first_date(wt.text, date_at, date_at + 16)
    return extracted(wt, found.value, found.start, found.end) if found else None
