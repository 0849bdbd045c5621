"""The header (phần đầu) of a Decree 30 document.

Reads the issuing body and the body above it (tên cơ quan ban hành / chủ quản), the
number and notation ("Số: 123/SCT-VP"), and place and date ("Đồng Nai, ngày ...").
The two header columns often arrive flattened into interleaved lines; the national
motto is already blanked by :mod:`text`, so what is left of a line is one column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.number import OWN_NUMBER, own_number, own_number_line
from services.ingest.parsing.number import clean_notation as clean_notation  # edxml reads it here
from services.ingest.parsing.place_date import PLACE_COMMA, is_place_date, read_place_date
from services.ingest.parsing.text import UPPER, Line, WorkingText, collapse, is_upper_text, opens_body
from services.ingest.parsing.vocabulary import (
    ADMIN_UNITS,
    DOC_TYPE_TITLES,
    UPPER_AGENCY_HEADS,
)

SUBJECT_MARK = re.compile(
    r"(?<![^\W\d_])(?:V/v|V/V)\b|(?<=[A-ZĐ\d])V/v(?=[\s:])|^[ \t]*\(?(?:Về|VỀ|về\s+việc)\b",
    re.MULTILINE,
)
KINH_GUI = re.compile(r"^Kính\s*g[ửở]i\b", re.IGNORECASE)
_BARE_UBND = re.compile(rf"^(?:(?:ỦY|UỶ)\s*BAN\s*NHÂN\s*DÂN|UBND)(?:\s+(?P<unit>{ADMIN_UNITS}))?$")
_MERGED = re.compile(
    rf"^(?:(?:UBND|(?:ỦY|UỶ) BAN NHÂN DÂN)\s+(?:{ADMIN_UNITS})|BỘ)\s.+?\s"
    r"(?P<child>(?:SỞ|VĂN PHÒNG|PHÒNG|BAN|TRUNG TÂM|CHI CỤC|TỔNG CỤC|CỤC|VỤ|VIỆN)\s)"
)
_MARKS = {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HOẢ TỐC", "MẬT", "TỐI MẬT", "TUYỆT MẬT", "DỰ THẢO"}
_TITLES = {t.upper() for t in DOC_TYPE_TITLES}
MAX_HEADER_LINES = 15
MAX_SEARCH_LINES = 40


@dataclass
class Header:
    """What the header holds; ``body_line`` indexes the first line of the body."""

    body_line: int
    top: int = 0
    number_match: re.Match[str] | None = None
    issuer: Extracted[str] | None = None
    parent_issuer: Extracted[str] | None = None
    number: Extracted[str] | None = None
    notation: Extracted[str] | None = None
    place: Extracted[str] | None = None
    issued_on: Extracted[str] | None = None


def is_title_line(text: str) -> str | None:
    """The document type when ``text`` is a standalone type title ("KẾ HOẠCH")."""
    cleaned = collapse(text.rstrip(":")).upper()
    return cleaned.capitalize() if cleaned in _TITLES else None


def read_header(wt: WorkingText) -> Header:
    """Read the header fields of ``wt``."""
    first, top = header_top(wt)
    header = Header(body_line=_body_line(wt, first), top=first)
    begin = wt.lines[first].start if first < len(wt.lines) else 0
    limit = wt.lines[header.body_line - 1].end if header.body_line else 0
    far = wt.lines[min(len(wt.lines), first + MAX_SEARCH_LINES) - 1].end if wt.lines else 0
    match = own_number(wt, begin, limit) or own_number(wt, limit, far)
    if match:
        header.number_match = match
        if match.group("num"):
            header.number = extracted(wt, match.group("num"), *match.span("num"))
        header.notation = extracted(wt, clean_notation(match.group("notation")), *match.span("notation"))
    groups = _agency_groups(wt, top, header.body_line)
    if groups:
        header.issuer = _complete_ubnd(wt, groups[-1])
        if len(groups) > 1:
            header.parent_issuer = groups[-2]
    number_end = header.number_match.end() if header.number_match else -1
    header.place, header.issued_on = read_place_date(wt, begin, limit, number_end)
    return header


def header_top(wt: WorkingText) -> tuple[int, int]:
    """Indexes of the first line of the header and of the issuing body's first line.

    The header is found by its anchors (the national motto, the own "Số" line, the
    place-date line), below any web-page leftovers.  The issuing body is the block of
    capitalised lines just above the first anchor, else the first agency line just
    below it.  Without an anchor the text starts the header.
    """
    lines = wt.lines[:MAX_SEARCH_LINES]
    anchors = [wt.line_at(m) for m in wt.mottos if m < (lines[-1].end if lines else 0)]
    for index, line in enumerate(lines):
        if own_number_line(line.text) or is_place_date(line.text):
            anchors.append(index)
            break
    if not anchors:
        return 0, 0
    anchor = min(anchors)
    top = anchor
    while top > 0 and anchor - top < MAX_HEADER_LINES // 2 and _in_header(lines[top - 1]):
        top -= 1
    agency = [i for i in range(top, anchor) if _is_agency_line(lines[i])]
    heads = [i for i in agency if lines[i].text.startswith(UPPER_AGENCY_HEADS)]
    if heads or agency:
        top = heads[0] if heads else agency[0]
        return top, top
    for index in range(anchor, min(len(lines), anchor + MAX_HEADER_LINES // 2)):
        line = lines[index]
        if _is_agency_line(line) and line.text.startswith(UPPER_AGENCY_HEADS):
            return top, index
        text = line.text
        if not (own_number_line(text) or SUBJECT_MARK.match(text) or PLACE_COMMA.search(text)):
            break
    return top, anchor


def _in_header(line: Line) -> bool:
    """An agency line, or the number, subject or place-date line beside it."""
    text = line.text
    if not any(c.isalnum() for c in text) or text[0].islower():  # a "*"; a wrapped subject
        return True
    return _is_agency_line(line) or own_number_line(text) or bool(SUBJECT_MARK.match(text))


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _is_agency_line(line: Line) -> bool:
    cells = [c for c in line.cells() if c.text.upper() not in _MARKS and _has_word(c.text)]
    if not cells or is_title_line(line.text):
        return False
    return all(is_upper_text(c.text) for c in cells)


def _body_line(wt: WorkingText, top: int) -> int:
    for index, line in enumerate(wt.lines[top : top + MAX_HEADER_LINES], start=top):
        if KINH_GUI.match(line.text) or opens_body(line.text):
            return index
        if len(line.text) > 200 and not SUBJECT_MARK.search(line.text):
            return index
    return min(len(wt.lines), top + MAX_HEADER_LINES)


def _agency_groups(wt: WorkingText, top: int, body_line: int) -> list[Extracted[str]]:
    parts: list[Line] = []
    for line in wt.lines[top:body_line]:
        cells = [c for c in line.cells() if c.text.upper() not in _MARKS and _has_word(c.text)]
        agency: list[Line] = []
        for cell in cells:
            text = cell.text
            if PLACE_COMMA.search(text) and agency:  # the right column beside the issuer
                continue
            if OWN_NUMBER.search(text) or SUBJECT_MARK.search(text) or is_title_line(text):
                break
            if PLACE_COMMA.search(text) or not is_upper_text(text):
                break
            agency.append(cell)
        parts.extend(agency)
        if len(agency) < len(cells) and not (agency and PLACE_COMMA.search(cells[-1].text)):
            break
    parts = [piece for part in parts for piece in _split_merged(part)]
    groups: list[list[Line]] = []
    for part in parts:
        if groups and not part.text.startswith(UPPER_AGENCY_HEADS):
            groups[-1].append(part)
        else:
            groups.append([part])
    return [extracted(wt, collapse(" ".join(p.text for p in g)), g[0].start, g[-1].end) for g in groups]


def _split_merged(part: Line) -> list[Line]:
    """Split "UBND TỈNH X SỞ Y" (parent and issuer merged on one line) in two."""
    match = _MERGED.match(part.text)
    if not match:
        return [part]
    cut = match.start("child")
    head = part.text[:cut].rstrip()
    return [
        Line(part.start, part.start + len(head), head),
        Line(part.start + cut, part.end, part.text[cut:]),
    ]


def _complete_ubnd(wt: WorkingText, issuer: Extracted[str]) -> Extracted[str]:
    """A bare "ỦY BAN NHÂN DÂN" or "UBND HUYỆN" gets its place name from elsewhere in the
    letter (the authority line above the signature, usually)."""
    bare = _BARE_UBND.search(issuer.value)
    if not bare:
        return issuer
    unit = re.escape(bare["unit"]).replace(r"\ ", r"\s*") if bare["unit"] else f"(?:{ADMIN_UNITS})"
    full = re.compile(rf"(?:(?:ỦY|UỶ)\s*BAN\s*NHÂN\s*DÂN|UBND)\s+{unit}(?:[ \t]+[{UPPER}]+)+")
    match = full.search(wt.text)
    return extracted(wt, collapse(match.group()), *match.span()) if match else issuer
