"""Text normalisation: NFC, noise blanking, lines and cells, with offsets kept.

The parser works on a *working text*: the input in Unicode NFC with layout noise
(page numbers, separator rules, the national motto "Quốc hiệu, tiêu ngữ", table
bars) overwritten by spaces.  Blanking keeps every offset, and NFC composition is
tracked by an offset map, so any span found in the working text maps back to the
caller's input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from services.ingest.parsing.vocabulary import BODY_OPENERS, MOTTO_LINES, WEB_LEFTOVERS

#: Zero-width characters and Unicode spaces become plain spaces (same length).
_INVISIBLE = {
    ord(c): " "
    for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\xa0\u202f\u205f\u3000\t\v\f"
    + "".join(map(chr, range(0x2000, 0x200B)))
}

#: Uppercase and lowercase Vietnamese letters, as regex class contents.
_LETTERS = [chr(c) for c in (*range(0x41, 0x250), *range(0x1EA0, 0x1EFA)) if chr(c).isalpha()]
UPPER = re.escape("".join(c for c in _LETTERS if c.isupper()))
LOWER = re.escape("".join(c for c in _LETTERS if c.islower()))

_NOISE = re.compile(
    r"^[ \t]*(?:-\s*)?(?:[Tt]rang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?[ \t]*$"  # page number
    r"|^[ \t]*[-–—_*=~.•]+[ \t]*$"  # separator rule
    r"|[-–—_*=~]{4,}|\||straight\s*connector\s*\d*"  # inline rule, table bar, shape label
    r"|(?P<motto>CỘNG\s*H(?:OÀ|ÒA)\s*X[ÃÀ]\s*HỘI(?:\s*CHỦ\s*NGHĨA\s*VIỆT\s*NAM)?|CHỦ\s*NGHĨA\s*VIỆT\s*NAM"
    r"|ĐẢNG\s*CỘNG\s*SẢN\s*VIỆT\s*NAM|ĐOÀN\s*TNCS\s*HỒ\s*CHÍ\s*MINH)"
    r"|(?i:Độc\s*lập\s*[-–—]?\s*Tự\s*do\s*[-–—]?\s*Hạnh\s*phúc)",
    re.MULTILINE,
)
#: Web extraction leftovers: escaped line breaks typed out literally ("\\r\\n").
_ESCAPED_BREAK = re.compile(r"\\r\\n|\\n|\\r|\\t")
_DATE_WORDS = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s*tháng\s*\d{1,2}\s*,?\s*năm\s*\d{4}"
_LEFTOVER = re.compile(
    rf"^[ \t]*(?:(?:[\[(]?(?i:{WEB_LEFTOVERS})[\])]?[ \t]*[.:|•·]?[ \t]*)+"
    rf"|(?i:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật)\s*,?\s*(?:ngày\s*)?(?:{_DATE_WORDS})"
    r"(?:[ \t,|-]*[\[(]?\s*\d{1,2}:\d{2}[^\n]{0,30})?"
    rf"|(?:{_DATE_WORDS}),?[ \t]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[ \t]*[AaPp][Mm])?"  # a web timestamp
    rf"|\d{{1,2}}:\d{{2}}(?::\d{{2}})?[ \t]*[|,-]?[ \t]*(?:{_DATE_WORDS})"
    rf"|(?P<slogan>{MOTTO_LINES})"
    r"|(?P<motto>(?i:cộng\s*h(?:oà|òa)\s*x[ãà]\s*hội\s*chủ\s*nghĩa\s*việt\s*nam)))[ \t]*$",
    re.MULTILINE,
)
_NOT_NEWLINE = re.compile(r"[^\n]")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line (or cell) of the working text; ``text`` is stripped."""

    start: int
    end: int
    text: str

    def cells(self, gap: int = 3) -> list[Line]:
        """Split a flattened two-column line where ``gap`` or more spaces separate text."""
        pattern = _cell_pattern(gap)
        return [
            Line(self.start + m.start(), self.start + m.end(), m.group()) for m in pattern.finditer(self.text)
        ]


_CELL_PATTERNS: dict[int, re.Pattern[str]] = {}


def _cell_pattern(gap: int) -> re.Pattern[str]:
    if gap not in _CELL_PATTERNS:
        _CELL_PATTERNS[gap] = re.compile(rf"\S+(?:[ \t\xa0]{{1,{gap - 1}}}\S+)*")
    return _CELL_PATTERNS[gap]


@dataclass(frozen=True)
class WorkingText:
    """The normalised text, its lines, and the map back to the caller's input."""

    source: str
    text: str
    lines: tuple[Line, ...]
    offsets: list[int] | None = field(default=None, repr=False)
    mottos: tuple[int, ...] = ()

    def to_source(self, index: int) -> int:
        """Map an offset of the working text to an offset of the input."""
        if self.offsets is None:
            return index
        return self.offsets[min(max(index, 0), len(self.offsets) - 1)]

    def line_at(self, index: int) -> int:
        """Index into ``lines`` of the line holding (or first after) offset ``index``."""
        for number, line in enumerate(self.lines):
            if line.end >= index:
                return number
        return len(self.lines)


def prepare(source: str) -> WorkingText:
    """Build the working text of ``source`` (NFC, noise blanked, lines split)."""
    cleaned = source.translate(_INVISIBLE)
    if "\\" in cleaned:
        cleaned = _ESCAPED_BREAK.sub(_unescape, cleaned)
    offsets: list[int] | None = None
    if not unicodedata.is_normalized("NFC", cleaned):
        cleaned, offsets = _nfc_with_offsets(cleaned)
    mottos: list[int] = []

    def blank(match: re.Match[str]) -> str:
        if match.groupdict().get("slogan") and not is_upper_text(match.group()):
            return match.group()
        if match.groupdict().get("motto"):  # a slogan is blanked but anchors nothing
            mottos.append(match.start())
        return _NOT_NEWLINE.sub(" ", match.group())

    text = _LEFTOVER.sub(blank, _NOISE.sub(blank, cleaned))
    lines = []
    for m in _LINE.finditer(text):
        stripped = m.group().strip()
        if stripped:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
    return WorkingText(source, text, tuple(lines), offsets, tuple(sorted(mottos)))


def _unescape(match: re.Match[str]) -> str:
    """A typed-out "\\r\\n" or "\\n" becomes spaces and a line break of the same length."""
    escaped = match.group()
    return " " * (len(escaped) - 1) + ("\n" if escaped.endswith("n") else " ")


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC-normalise ``text`` segment by segment, remembering where each char came from."""
    parts: list[str] = []
    offsets: list[int] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or unicodedata.combining(text[index]) == 0:
            segment = unicodedata.normalize("NFC", text[start:index])
            parts.append(segment)
            offsets.extend([start] * len(segment))
            start = index
    offsets.append(len(text))
    return "".join(parts), offsets


def collapse(value: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return " ".join(value.split())


def is_upper_text(value: str) -> bool:
    """True when ``value`` has at least two letters and none of them is lowercase."""
    return value.isupper() and sum(1 for c in value if c.isalpha()) >= 2


def split_outside_brackets(value: str, separator: str = ";") -> list[str]:
    """Split ``value`` on ``separator`` except inside round brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in value:
        depth += (char == "(") - (char == ")")
        if char == separator and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


_SENTENCE_END = re.compile(r"[.!?;](?=\s)")
_LIST_MARK = re.compile(r"^(?:[-–—•+]|\d+(?:\.\d+)*[.)]|[a-zđ]\))")
_WIDE_LINE = 50


def _line_break(previous: str, current: str) -> bool:
    """Whether a line break between two stripped lines also ends a sentence or item."""
    if previous.endswith((".", ";", ":", "!", "?")) or _LIST_MARK.match(current):
        return True
    return len(previous) < _WIDE_LINE or is_upper_text(previous) or is_upper_text(current)


def sentence_around(text: str, start: int, end: int, reach: int = 400) -> str:
    """The sentence (or header/list line) of ``text`` holding ``[start, end)``, on one line.

    Sentences end at ``. ! ? ;``.  A line break ends one too after a short line
    (headers, lists), before a list marker, or next to a line in capitals; wrapped
    prose lines are joined.
    """
    start, end = max(0, min(start, len(text))), max(start, min(end, len(text)))
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    columns = Line(line_start, line_end, text[line_start:line_end]).cells(5)
    if len(columns) > 1 and end <= line_end:  # flattened two-column line: the value's column
        inside = [c for c in columns if c.end > start and c.start < end] or columns[:1]
        return collapse(text[inside[0].start : inside[-1].end])
    low, high = max(0, start - reach), min(len(text), end + reach)
    lines = [(m.start(), m.end(), m.group().strip()) for m in _LINE.finditer(text, low, high)]
    lines = [line for line in lines if line[2]]
    first = next((i for i, line in enumerate(lines) if line[1] >= start), 0)
    last = next((i for i, line in enumerate(lines) if line[1] >= end), len(lines) - 1)
    while first > 0 and not _line_break(lines[first - 1][2], lines[first][2]):
        first -= 1
    while last + 1 < len(lines) and not _line_break(lines[last][2], lines[last + 1][2]):
        last += 1
    left = lines[first][0] if lines else low
    right = lines[last][1] if lines else high
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, left, start)]
    stops = [m.end() for m in _SENTENCE_END.finditer(text, end, right)]
    return collapse(text[cuts[-1] if cuts else left : stops[0] if stops else right])


def wrapped_end(wt: WorkingText, index: int, max_lines: int = 3) -> int:
    """Index of the last line of the line at ``index`` and its wrapped continuations: the
    next lines while they open in lowercase, a digit or "(" right below (no blank line)
    a line that does not end a sentence."""
    last = index
    while last + 1 < min(len(wt.lines), index + max_lines):
        line, following = wt.lines[last], wt.lines[last + 1]
        if line.text.endswith((".", "!", "?", ":", ";")):
            break
        if wt.text.count("\n", line.end, following.start) > 1:  # a blank line between
            break
        if not (following.text[0].islower() or following.text[0] in "(0123456789"):
            break
        last += 1
    return last


def paragraphs_end(wt: WorkingText, count: int) -> int:
    """Index of the last line of the first ``count`` paragraphs (wrapped lines joined)."""
    index = -1
    for _ in range(count):
        if index + 1 >= len(wt.lines):
            break
        index = wrapped_end(wt, index + 1, max_lines=8)
    return max(index, 0)


_OPENS_BODY = re.compile(rf"^(?:\d+\.\s*)?(?:{BODY_OPENERS})\s", re.IGNORECASE)


def opens_body(text: str) -> bool:
    """A line that begins the body ("Thực hiện ...", "Căn cứ ..."), capitalised: "thực hiện"
    in lowercase continues a wrapped line instead."""
    return not text[:1].islower() and bool(_OPENS_BODY.match(text))
