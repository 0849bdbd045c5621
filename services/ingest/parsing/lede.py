"""Fallbacks for headless documents (web notices, news re-posts of a công văn).

When a document arrives without its Decree 30 header, the issuing body, the
number and the date are usually stated in the opening lines (the lede):
"(3868/VP-KTN, ngày 13/11/2017)", "UBND tỉnh ban hành Công văn số 846/UBND-TH về
việc ...", or "Sở Nội vụ đề nghị ..." for the issuer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.ingest.parsing.dates import day_month, find_dates, first_date, likely_year
from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.number import NOTATION, clean_notation
from services.ingest.parsing.text import UPPER, WorkingText, collapse, paragraphs_end, wrapped_end
from services.ingest.parsing.vocabulary import (
    ADMIN_UNITS,
    AGENCY_HEADS,
    CITING_WORDS,
    ISSUER_VERBS,
    LEADER_TITLES,
)

#: Words that end an agency's name in running text ("Sở X kính gửi các sở ..."); the name
#: may wrap onto the next line, not past a blank line.
_NOT_IN_NAME = r"(?<![^\W\d_])(?:kính|gửi|gởi|các|những|đã|sẽ|được|xin|cho|tới|đến)(?![^\W\d_])"
_ISSUER = re.compile(
    rf"(?:^[ \t]*|(?<=[.;:,])[ \t]*)(?:nay[ \t]+)?(?:(?:{LEADER_TITLES})[ \t]+)?"
    rf"(?P<agency>(?:{AGENCY_HEADS})\b(?:(?!{_NOT_IN_NAME}|\n[ \t]*\n)[^.;:()“”\"]){{0,60}}?)"
    r"(?:[ \t]+|[ \t]*\n[ \t]*)(?:đã[ \t]+|sẽ[ \t]+)?"
    rf"(?P<verb>{ISSUER_VERBS})\b",
    re.MULTILINE | re.IGNORECASE,
)
_BARE_UNIT = re.compile(rf"(?i:{ADMIN_UNITS})$")
_TITLE_NUMBER = re.compile(
    rf"(?<![\w/])(?P<num>\d+)[ \t]*/[ \t]*(?P<notation>{NOTATION})[ \t]*,?[ \t]*ngày[ \t]*",
    re.IGNORECASE,
)
_CITED = re.compile(
    rf"(?:{CITING_WORDS})[ \t]+số[ \t]*(?P<num>\d+)[ \t]*[/-][ \t]*(?P<notation>{NOTATION})",
    re.IGNORECASE,
)
_CITED_BEFORE = re.compile(r"số\s*$", re.IGNORECASE)
_DATE_NEXT = re.compile(r"\s*,?\s*(?:ngày|\d)", re.IGNORECASE)
_ABOUT = re.compile(
    r"\s*(?:về\s*việc|V/v)\s*(?P<subject>[^\n.]+(?:\n[ \t]*(?-i:[a-zà-ỹđ])[^\n.]*)*)", re.IGNORECASE
)
_TODAY = re.compile(r"(?:sáng|chiều|tối|hôm)\s*nay\s*\(\s*(?=\d)", re.IGNORECASE)
_LEDE_PARAGRAPHS = 3


@dataclass
class Lede:
    """Own number, date and subject stated in the opening lines."""

    number: Extracted[str] | None = None
    notation: Extracted[str] | None = None
    issued_on: Extracted[str] | None = None
    subject: Extracted[str] | None = None


def issuer_from_body(wt: WorkingText) -> Extracted[str] | None:
    """The body that speaks in the first person: "<Sở X> đề nghị/thông báo/tổ chức ...".

    A name cut short at its administrative unit ("UBND thị xã") is completed from a
    fuller mention in the letter ("UBND thị xã Hòa Bình").
    """
    for match in _ISSUER.finditer(wt.text):
        agency = match.group("agency")
        if agency[0].isupper():
            if _BARE_UNIT.search(agency):
                fuller = re.search(rf"{re.escape(agency)}(?:[ \t]+[{UPPER}][^\W\d_]*)+", wt.text)
                if fuller:
                    return extracted(wt, collapse(fuller.group()), *fuller.span())
            return extracted(wt, collapse(agency), *match.span("agency"))
    return None


def speaks(text: str) -> bool:
    """Whether a line opens with a body speaking for itself ("Sở X đề nghị ...")."""
    return text[:1].isupper() and _ISSUER.match(text) is not None


def notice_from_body(wt: WorkingText) -> Extracted[str] | None:
    """The issuer's own "<Sở X> thông báo ..." phrase: the document states it is a notice."""
    for match in _ISSUER.finditer(wt.text):
        if match.group("agency")[0].isupper() and match.group("verb").casefold().startswith("thông"):
            return extracted(wt, collapse(match.group()), *match.span())
    return None


def read_lede(wt: WorkingText) -> Lede:
    """Own number (số, ký hiệu), date and subject of a headless document.

    A news-style lede dates itself with "sáng nay (29/10/2020)"; web timestamps
    ("Cập nhật: ...") are publication times, not the date of the document.
    """
    lede = Lede()
    if not wt.lines:
        return lede
    first = wt.lines[0]
    headline_end = wt.lines[wrapped_end(wt, 0)].end
    match = _TITLE_NUMBER.search(wt.text, first.start, headline_end)
    cited = match and _CITED_BEFORE.search(wt.text, max(0, match.start() - 8), match.start())
    if match and not cited and re.search(f"[{UPPER}]", match.group("notation")):
        found = first_date(wt.text, match.end(), match.end() + 24)
        if found and found.start == match.end():
            lede.issued_on = extracted(wt, found.value, found.start, found.end)
        _set_number(wt, lede, match)
        return lede
    end = wt.lines[paragraphs_end(wt, _LEDE_PARAGRAPHS)].end
    for match in _CITED.finditer(wt.text, first.start, end):
        if _DATE_NEXT.match(wt.text, match.end()):
            continue
        _set_number(wt, lede, match)
        sentence_start = max(wt.text.rfind(".", 0, match.start()), first.start - 1) + 1
        _date_before(wt, lede, sentence_start, match.start())
        about = _ABOUT.match(wt.text, match.end())
        if about:
            subject = about.group("subject")
            lede.subject = extracted(wt, collapse(subject), *about.span("subject"))
        return lede
    for today in _TODAY.finditer(wt.text, first.start, end):
        found = first_date(wt.text, today.end(), today.end() + 12)
        if found and found.start == today.end():
            lede.issued_on = extracted(wt, found.value, found.start, found.end)
            break
    return lede


def _set_number(wt: WorkingText, lede: Lede, match: re.Match[str]) -> None:
    lede.number = extracted(wt, match.group("num"), *match.span("num"))
    notation = clean_notation(match.group("notation"))
    lede.notation = extracted(wt, notation, *match.span("notation"))


def _date_before(wt: WorkingText, lede: Lede, start: int, end: int) -> None:
    dates = find_dates(wt.text, start, end)
    if dates:
        lede.issued_on = extracted(wt, dates[-1].value, dates[-1].start, dates[-1].end)
        return
    year = likely_year(wt.text)
    found = day_month(wt.text, start, end, year) if year else None
    if found:
        lede.issued_on = extracted(wt, found.value, found.start, found.end)
