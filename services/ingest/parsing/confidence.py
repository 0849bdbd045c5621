"""How sure the parser is of each field it read (độ tin cậy), from cues that hold on any letter. Pure.

A field read where Decree 30 puts it, in the form it prescribes, is likely right; one the rules had
to look for elsewhere, or guess from a weaker sign, is less so. The cues (ADR 0003, "Confidence"):

- **issuer, parent_issuer**: a name in capitals in the header block above the national motto
  (0.95), in the header otherwise (0.85), in capitals elsewhere (0.75); a name in running text
  ("Sở X thông báo ...", 0.55). A one- or two-word name is often cut short (× 0.8).
- **number, notation**: on a line opening with "Số" (0.95), else from a sentence (0.6); a number
  without a notation (× 0.8).
- **doc_type**: a standalone title line ("KẾ HOẠCH", 0.95); the type's abbreviation in a notation
  on the "Số" line (0.9), any other such notation ("Công văn", 0.85), a notation from a sentence
  (0.6); a headline opening with the type (0.8); guessed from "V/v", an invitation, "Kính gửi" or
  "<body> thông báo" (0.55).
- **subject**: right after "V/v", "Về việc" or a line-opening "Về" (0.9); under a title line or
  such a mark (0.85); a fallback, such
  as a headline (0.6). Very long or very short subjects are often cut wrong (× 0.8, × 0.7).
- **place, issued_on**: on a "<place>, ngày ... tháng ... năm ..." line (0.9), else 0.7.
- **recipients** under "Kính gửi" (0.9, else 0.6); **distribution** under "Nơi nhận" (0.85, else
  0.6); **deadlines** with a deadline word just before the date (0.85, else 0.65; no date 0.5);
  **referenced_documents** with their date (0.9, else 0.75); lists take their items' mean.
- **meeting**: date, time and place (0.9), two of them (0.7), one (0.5); a place over 120
  characters has likely swallowed text (× 0.8).
- **signer_title** 0.85; **signer_name** of two to five capitalised words 0.85, else 0.6.

A field read by OCR has this confidence multiplied by the recogniser's own (``reading``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from services.ingest.parsing.header import is_title_line
from services.ingest.parsing.model import Extracted, ParsedDocument, Span

_MOTTO = re.compile(r"C[ỘO]NG\s*H[ÒOÀ]A\s*X[ÃA]\s*H[ỘO]I|ĐẢNG\s*CỘNG\s*SẢN\s*VIỆT\s*NAM", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^\s*S[Ốố]\s*[:.]?", re.IGNORECASE)
_SUBJECT_MARK = re.compile(r"(?:V\s*/\s*v|về\s+việc|^\s*về)\s*[:.]?\s*[-–]?\s*$", re.IGNORECASE)
_DATE_LINE = re.compile(r"ngày\b.{0,20}tháng\b.{0,20}năm|,\s*ngày\b|,\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}",
                        re.IGNORECASE)
_KINH_GUI = re.compile(r"K[íi]nh\s*g[ửởu]i", re.IGNORECASE)
_NOI_NHAN = re.compile(r"N[ơo]i\s*nh[ậa]n", re.IGNORECASE)
_DEADLINE_WORD = re.compile(r"(?:trước|chậm\s*nhất|hạn|không\s*quá|kịp\s*thời)\b[^\n]{0,60}$",
                            re.IGNORECASE)
_GUESSED_TYPE = re.compile(r"V\s*/\s*[vV]|kính\s*g[ửở]i|kính\s*mời|xin\s*mời|thông\s*báo",
                           re.IGNORECASE)
_HEADER_REACH = 1500
"""Characters after the motto still counted as the header block."""


def field_confidence(document: ParsedDocument, text: str | None = None) -> dict[str, float]:
    """A confidence in ``[0, 1]`` for each field ``document`` has, read from ``text`` (its
    ``source_text`` by default), rounded to two decimals."""
    cues = _Cues(document.source_text if text is None else text)
    scores: dict[str, float] = {}
    for name, score in _SCORERS.items():
        value = getattr(document, name)
        if value is None or value == []:
            continue
        scores[name] = round(max(0.0, min(1.0, score(cues, document, value))), 2)
    return scores


class _Cues:
    """Where a span sits in the text: its line, the lines before it, the motto."""

    def __init__(self, text: str) -> None:
        self.text = text
        motto = _MOTTO.search(unicodedata.normalize("NFC", text))
        self.motto = motto.start() if motto else None

    def line_of(self, span: Span | None) -> str:
        if span is None:
            return ""
        start = self.text.rfind("\n", 0, span.start) + 1
        end = self.text.find("\n", span.end)
        return _nfc(self.text[start:end if end >= 0 else len(self.text)])

    def before_on_line(self, span: Span) -> str:
        return _nfc(self.text[self.text.rfind("\n", 0, span.start) + 1:span.start])

    def previous_line(self, span: Span) -> str:
        """The nearest non-blank line above the span's line."""
        end = self.text.rfind("\n", 0, span.start)
        while end > 0:
            start = self.text.rfind("\n", 0, end) + 1
            if self.text[start:end].strip():
                return _nfc(self.text[start:end])
            end = start - 1
        return ""

    def preceded_by(self, span: Span | None, pattern: re.Pattern[str], reach: int) -> bool:
        return span is not None and bool(pattern.search(
            _nfc(self.text[max(0, span.start - reach):span.start])))

    def in_header(self, span: Span | None) -> bool:
        if span is None:
            return False
        limit = (self.motto or 0) + _HEADER_REACH
        return span.start < limit


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _capitalised(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _issuer(cues: _Cues, doc: ParsedDocument, item: Extracted[str]) -> float:
    span = item.span
    stated = _nfc(cues.text[span.start:span.end]) if span is not None else ""
    if span is not None and _capitalised(stated) and cues.in_header(span):
        score = 0.95 if cues.motto is not None and span.start < cues.motto else 0.85
    elif span is not None and _capitalised(stated):
        score = 0.75
    else:
        score = 0.55
    return score * (0.8 if len(item.value.split()) <= 2 else 1.0)


def _numbered(cues: _Cues, doc: ParsedDocument, item: Extracted[str]) -> float:
    score = 0.95 if _NUMBER_LINE.match(cues.line_of(item.span)) else 0.6
    return score * (0.8 if item is doc.number and doc.notation is None else 1.0)


def _doc_type(cues: _Cues, doc: ParsedDocument, item: Extracted[str]) -> float:
    if item.span is None:
        return 0.55
    stated = cues.text[item.span.start:item.span.end]
    if is_title_line(stated.strip()):
        return 0.95
    if doc.notation is not None and item.span == doc.notation.span:
        if not _NUMBER_LINE.match(cues.line_of(item.span)):
            return 0.6
        return 0.85 if item.value == "Công văn" else 0.9
    if _GUESSED_TYPE.search(stated):
        return 0.55
    return 0.8 if stated.strip().casefold() == item.value.casefold() else 0.55


def _subject(cues: _Cues, doc: ParsedDocument, item: Extracted[str]) -> float:
    if item.span is None:
        return 0.6
    if _SUBJECT_MARK.search(cues.before_on_line(item.span)):
        score = 0.9
    elif is_title_line(cues.previous_line(item.span).strip()) or \
            _SUBJECT_MARK.search(cues.previous_line(item.span)):
        score = 0.85
    else:
        score = 0.6
    size = len(item.value)
    return score * (0.8 if size > 250 else 0.7 if size < 10 else 1.0)


def _dated(cues: _Cues, doc: ParsedDocument, item: Extracted[str]) -> float:
    return 0.9 if _DATE_LINE.search(cues.line_of(item.span)) else 0.7


def _under(label: re.Pattern[str], high: float) -> Callable[[_Cues, ParsedDocument, Any], float]:
    def score(cues: _Cues, doc: ParsedDocument, items: list[Extracted[str]]) -> float:
        return _mean([high if cues.preceded_by(i.span, label, 600) else 0.6 for i in items])
    return score


def _deadlines(cues: _Cues, doc: ParsedDocument, items: list[Extracted[Any]]) -> float:
    return _mean([0.5 if not i.value.date else 0.85
                  if cues.preceded_by(i.span, _DEADLINE_WORD, 80) or _DEADLINE_WORD.search(
                      cues.text[i.span.start:i.span.end] if i.span else "") else 0.65
                  for i in items])


def _references(cues: _Cues, doc: ParsedDocument, items: list[Extracted[Any]]) -> float:
    return _mean([0.9 if i.value.date else 0.75 for i in items])


def _meeting(cues: _Cues, doc: ParsedDocument, item: Extracted[Any]) -> float:
    meeting = item.value
    known = sum(bool(v) for v in (meeting.date, meeting.time, meeting.place))
    score = {3: 0.9, 2: 0.7}.get(known, 0.5)
    return score * (0.8 if meeting.place and len(meeting.place) > 120 else 1.0)


def _signer_name(cues: _Cues, doc: ParsedDocument, item: Extracted[str]) -> float:
    words = item.value.split()
    return 0.85 if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) else 0.6


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


_SCORERS: dict[str, Callable[[_Cues, ParsedDocument, Any], float]] = {
    "issuer": _issuer,
    "parent_issuer": _issuer,
    "number": _numbered,
    "notation": _numbered,
    "doc_type": _doc_type,
    "place": _dated,
    "issued_on": _dated,
    "subject": _subject,
    "recipients": _under(_KINH_GUI, 0.9),
    "deadlines": _deadlines,
    "meeting": _meeting,
    "referenced_documents": _references,
    "signer_title": lambda cues, doc, item: 0.85,
    "signer_name": _signer_name,
    "distribution": _under(_NOI_NHAN, 0.85),
}
