"""Trích yếu (subject) of a document.

A công văn states its subject after "V/v" (or "Về việc", "Về") under the number;
other types carry a title line ("KẾ HOẠCH", "QUYẾT ĐỊNH") followed by the subject
in capitals.  Wrapped lines are joined back onto one line.
"""

from __future__ import annotations

import re

from services.ingest.parsing.header import KINH_GUI, SUBJECT_MARK, Header, is_title_line
from services.ingest.parsing.lede import speaks
from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.number import OWN_NUMBER
from services.ingest.parsing.place_date import is_place_date
from services.ingest.parsing.text import (
    Line,
    WorkingText,
    collapse,
    is_upper_text,
    opens_body,
    wrapped_end,
)
from services.ingest.parsing.vocabulary import (
    AUTHORITY_LINE,
    CONNECTORS,
    LEADING_TYPES,
)

_MARK = re.compile(r"\(?\s*(?:V/v|V/V|[Vv]ề\s*việc|VỀ\s*VIỆC|[Vv]ề|VỀ)\s*:?\s*")
_LINE_START_VV = re.compile(r"^[ \t]*V/[vV]\b", re.MULTILINE)
_ONLY_DATE = re.compile(r"^[\d/:.\-\s|APMapm]+$")
_DATE_LINE = re.compile(r"^ngày\s*(?:\d{1,2}|\.+|…+)?\s*tháng\b", re.IGNORECASE)
_AUTHORITY = re.compile(AUTHORITY_LINE)
_INVITES = re.compile(r"(?i:trân\s*trọng|kính\s*mời|xin\s*mời)")  # the body of a giấy mời
_DATED_OPENER = re.compile(r"^(?:Ngày|Hôm\s*nay|Sáng|Chiều|Tối)\s*(?:nay\s*)?\(?\d[\d/.\-\s]*\)?,")
_TAIL_NUMBER = re.compile(r"\s*\(\s*\d+\s*/[^()]*\)\s*$")
LEADING = re.compile(rf"^(?P<type>{'|'.join(LEADING_TYPES)})\s+(?=\S)", re.IGNORECASE)
_SENTENCE_END = (".", ":", ";")
MAX_WRAPPED_LINES = 6


def read_subject(wt: WorkingText, header: Header, headless: bool) -> Extracted[str] | None:
    """The trích yếu of the document, on one line, or None."""
    lines = wt.lines
    limit = lines[header.body_line - 1].end if header.body_line else 0
    begin = lines[header.top].start if header.top < len(lines) else 0
    mark = SUBJECT_MARK.search(wt.text, begin, limit) or _LINE_START_VV.search(wt.text, limit)
    if mark:
        return _wrapped_subject(wt, mark.start())
    for index, line in enumerate(lines[header.top : header.body_line], start=header.top):
        if is_title_line(line.text):
            return _title_block(wt, lines[index + 1 : header.body_line + 1])
    if headless and lines:
        last = lines[wrapped_end(wt, 0)]
        headline = collapse(wt.text[lines[0].start : last.end])
        if not _is_headline(Line(lines[0].start, last.end, headline)):
            return None
        text = LEADING.sub("", wt.text[lines[0].start : last.end])
        text = _MARK.sub("", text, count=1) if _MARK.match(text) else text
        start = last.end - len(text)
        return _finish(wt, text, start)
    return None


def _wrapped_subject(wt: WorkingText, start: int) -> Extracted[str] | None:
    while wt.text[start : start + 1] in (" ", "\t"):
        start += 1
    mark = _MARK.match(wt.text, start)
    begin = mark.end() if mark else start
    index = wt.line_at(begin)
    lines = wt.lines
    if index >= len(lines):  # the mark ends the text: "V/v" and nothing after it
        return None
    first = Line(begin, lines[index].end, wt.text[begin : lines[index].end])
    pieces = [_left_cell(first)]
    caps = is_upper_text(pieces[0].text)
    for line in lines[index + 1 : index + 1 + MAX_WRAPPED_LINES]:
        previous = pieces[-1].text.rstrip()
        cell = _left_cell(line)
        if not previous or previous.endswith(_SENTENCE_END):
            break
        if not _continues_caps(cell, previous) if caps else _stops_subject(cell):
            break
        if not caps and wt.text.count("\n", pieces[-1].end, line.start) > 1 and _starts_sentence(line.text):
            break  # a blank line, then a capitalised word: the body begins
        pieces.append(cell)
    return _finish(wt, " ".join(p.text for p in pieces), begin, pieces[-1].end)


def _left_cell(line: Line) -> Line:
    """The first column of a flattened line ("V/v ...        Hà Nội, ngày ...")."""
    cells = line.cells(5)
    return cells[0] if cells else line


def _continues_caps(line: Line, previous: str) -> bool:
    """A subject in capitals goes on over capitalised lines that are not the authority line
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN ..."), unless the line above ends mid-phrase ("... CỦA")."""
    text = line.text
    if not is_upper_text(text) or _is_structural(text):
        return False
    return not _AUTHORITY.match(text) or previous.endswith(CONNECTORS)


def _is_structural(text: str) -> bool:
    """Kính gửi, Số, place-date, type title, body opener or a bare date stamp."""
    if KINH_GUI.match(text) or OWN_NUMBER.search(text) or is_place_date(text):
        return True
    if is_title_line(text) or opens_body(text):
        return True
    if _DATE_LINE.match(text):  # "ngày 12 tháng 3 năm 2025", the date of a wrapped place-date
        return True
    return bool(_ONLY_DATE.match(text) and re.search(r"[/:\-]", text))


def _starts_sentence(text: str) -> bool:
    """Opens with a capitalised word that is not an acronym ("Ngày", not "TTHC") and reads
    as a clause (a comma or a full stop in it), not as a wrapped fragment."""
    word = text.split()[0]
    clause = "," in text or text.endswith(_SENTENCE_END)
    return clause and word[0].isupper() and not is_upper_text(word)


def _stops_subject(line: Line) -> bool:
    text = line.text
    if _is_structural(text) or is_upper_text(text) or _DATED_OPENER.match(text) or speaks(text):
        return True
    starts_low = text[0].islower() or text[0].isdigit()
    return not starts_low and len(text) > 60


def _title_block(wt: WorkingText, lines: tuple[Line, ...]) -> Extracted[str] | None:
    """Subject under a type title: lines in capitals, or one mixed-case line that wraps."""
    if lines and not is_upper_text(lines[0].text):
        first = lines[0].text.lstrip("(")
        if _is_structural(first) or first.endswith(":") or not first[:1].isalpha() or _INVITES.search(first):
            return None
        return _wrapped_subject(wt, lines[0].start)
    block: list[Line] = []
    for line in lines[:MAX_WRAPPED_LINES]:
        if (block and not _continues_caps(line, block[-1].text)) or not is_upper_text(line.text):
            break
        block.append(line)
    if not block:
        return None
    begin = block[0].start
    mark = _MARK.match(wt.text, begin)
    if mark and mark.group().strip().upper() in {"VỀ VIỆC", "V/V", "VỀ VIỆC:", "V/V:"}:
        begin = mark.end()
    return _finish(wt, wt.text[begin : block[-1].end], begin)


def _is_headline(line: Line) -> bool:
    text = line.text
    if text.endswith(_SENTENCE_END) or len(text) > 250 or opens_body(text):
        return False
    return not (KINH_GUI.match(text) or OWN_NUMBER.search(text) or _ONLY_DATE.match(text))


def _finish(wt: WorkingText, raw: str, start: int, end: int | None = None) -> Extracted[str] | None:
    value = _TAIL_NUMBER.sub("", collapse(raw).rstrip(" .;,")).rstrip(" .;,")
    if value.endswith(")") and "(" not in value:  # "(Về việc ...)" under a title
        value = value[:-1].rstrip(" .;,")
    if not value:
        return None
    return extracted(wt, value, start, start + len(raw.rstrip()) if end is None else end)
