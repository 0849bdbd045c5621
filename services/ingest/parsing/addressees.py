"""Kính gửi (recipients) and Nơi nhận (distribution) lists.

Items come inline after the label ("Kính gửi: Bộ Tài chính.") or as dash lines
below it; a wrapped item continues on the next line.  Invitations without
"Kính gửi" list their guests under "Thành phần (mời)".
"""

from __future__ import annotations

import re

from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.text import Line, WorkingText, collapse, opens_body, split_outside_brackets

_KINH_GUI = re.compile(r"^[ \t]*Kính\s*g[ửở]i\s*:?", re.MULTILINE | re.IGNORECASE)
_THANH_PHAN = re.compile(r"^[ \t]*(?:\d+(?:\.\d+)*\.?\s*)?Thành\s*phần[^:\n]{0,60}:", re.MULTILINE)
_NOI_NHAN = re.compile(r"^[ \t]*Nơi\s*nhận\s*:?", re.MULTILINE | re.IGNORECASE)
_AS_ABOVE = re.compile(r"^[ \t]*[-–—•+][ \t]*Như\s*(?:trên|kính\s*gửi)", re.MULTILINE)
_DASH = re.compile(r"^[-–—•+]\s*")
_SUBHEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[a-zđ]\))\s.{0,80}:$")
_DASH_SPLIT = re.compile(r";\s*(?=[-–—•+])")
_ITEM_END = (";", ".", ")", ":")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+")
MAX_ITEMS = 200
MAX_BARE_ITEM = 120


def read_recipients(wt: WorkingText) -> list[Extracted[str]]:
    """Items of "Kính gửi", else of "Thành phần" in an invitation."""
    match = _KINH_GUI.search(wt.text)
    if match:
        return _list_after(wt, match.end(), split_dash_items=True)
    match = _THANH_PHAN.search(wt.text)
    if match:
        return _list_after(wt, match.end(), split_dash_items=False)
    return []


def read_distribution(wt: WorkingText) -> list[Extracted[str]]:
    """Items of "Nơi nhận" (or of a trailing "- Như trên; ..." list without the label)."""
    matches = list(_NOI_NHAN.finditer(wt.text))
    if matches:
        return _list_after(wt, matches[-1].end(), split_dash_items=False, skip_before=3)
    match = _AS_ABOVE.search(wt.text)
    if match:
        return _list_after(wt, match.start(), split_dash_items=False, inline=False)
    return []


def _list_after(
    wt: WorkingText, pos: int, split_dash_items: bool, skip_before: int = 0, inline: bool = True
) -> list[Extracted[str]]:
    items: list[list[Line]] = []
    index = wt.line_at(pos)
    lines = wt.lines
    if index >= len(lines):
        return []
    rest = Line(pos, lines[index].end, wt.text[pos : lines[index].end])
    gap = len(rest.text) - len(rest.text.lstrip())
    dashed = _DASH.match(rest.text.lstrip())  # "Kính gửi:      - Sở X" (a flattened column)
    head = rest.cells(5)[:1] if inline and (gap < 5 or dashed) else []
    if head:
        items.extend([[part] for part in _split(head[0], always=True)])
        if head[0].text.endswith("."):
            return _finish(wt, items)
    start = index + 1 if inline or pos >= lines[index].end else index
    bare = split_dash_items and not head
    for line in lines[start:]:
        if len(items) >= MAX_ITEMS:
            break
        cell = line.cells(5)[0]
        if _DASH.match(cell.text):
            items.extend([[part] for part in _split(cell, always=split_dash_items)])
        elif _SUBHEADING.match(cell.text) and not split_dash_items:
            continue
        elif items and _continues(items[-1][-1].text, cell.text):
            items[-1].append(cell)
        elif not items and skip_before > 0:
            skip_before -= 1
        elif bare and _bare_item(cell.text, items):  # "Kính gửi:" then undashed or numbered lines
            number = _NUMBERED.match(cell.text)
            skip = number.end() if number else 0
            items.append([Line(cell.start + skip, cell.end, cell.text[skip:])])
            if cell.text.endswith("."):
                break
        else:
            break
    if items and items[-1][-1].end >= lines[-1].start and _looks_cut(items[-1][-1].text):
        items.pop()
    return _finish(wt, items)


def _split(cell: Line, always: bool) -> list[Line]:
    text = _DASH.sub("", cell.text)
    offset = cell.end - len(text)
    pieces = split_outside_brackets(text) if always else _DASH_SPLIT.split(text)
    parts = []
    for piece in pieces:
        stripped = _DASH.sub("", piece.strip())
        if stripped.strip(" .,;"):
            start = text.index(stripped, max(0, text.find(piece))) + offset
            parts.append(Line(start, start + len(stripped), stripped))
        offset_piece = len(piece) + 1
        text, offset = text[offset_piece:], offset + offset_piece
    return parts


def _bare_item(text: str, items: list[list[Line]]) -> bool:
    """A recipient on its own line without a dash: short, ending as an item does, not a
    sentence of the body, and after an item that ended with ";" or "," (if any)."""
    if len(text) > MAX_BARE_ITEM or not text.endswith((";", ",", ".")) or opens_body(text):
        return False
    return not items or items[-1][-1].text.endswith((";", ","))


def _continues(previous: str, text: str) -> bool:
    if previous.endswith((",", "và", "&", "-")):
        return True
    return text[:1].islower() and "\\" not in text and not previous.endswith((";", "."))


def _looks_cut(text: str) -> bool:
    body = _DASH.sub("", text)
    return not text.endswith(_ITEM_END) and not body.startswith("Lưu")


def _finish(wt: WorkingText, items: list[list[Line]]) -> list[Extracted[str]]:
    result = []
    for parts in items:
        value = collapse(" ".join(p.text for p in parts)).rstrip(" ;.,")
        value = _DASH.sub("", value).strip()
        if any(c.isalpha() for c in value):  # not a "……………" placeholder
            result.append(extracted(wt, value, parts[0].start, parts[-1].end))
    return result
