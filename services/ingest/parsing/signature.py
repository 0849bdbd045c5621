"""Chữ ký: the signer's title (chức vụ) and name (họ tên) at the foot of a document.

The title is the capitalised line directly above the name, skipping signing
remarks such as "(đã ký)".  With "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" the title is
"PHÓ GIÁM ĐỐC"; a lone "KT./TL./TM./TUQ." line loses its prefix.
"""

from __future__ import annotations

import re

from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.text import LOWER, UPPER, Line, WorkingText, collapse, is_upper_text
from services.ingest.parsing.vocabulary import SIGNING_PREFIX

_RUN_TOGETHER = re.compile(
    rf"^(?P<title>[{UPPER}][{UPPER} .,]*?)\s*"
    rf"(?P<name>[{UPPER}][{LOWER}]+(?:\s+[{UPPER}][{LOWER}]*)+)$"
)
_DASH = re.compile(r"^[-–—•+]")
_PREFIX = re.compile(rf"^{SIGNING_PREFIX}")
_NOT_NAMES = {"Như", "Nơi", "Lưu", "Kính", "Trân", "Đã", "Cập", "Đăng", "Trích", "Điện", "Email"}
TAIL_LINES = 20
MAX_GAP = 5


def read_signature(wt: WorkingText) -> tuple[Extracted[str] | None, Extracted[str] | None]:
    """(signer_title, signer_name) from the last lines of ``wt``; (None, None) if unsigned."""
    cells = _tail_cells(wt)
    for index in range(len(cells) - 1, -1, -1):
        if not is_person_name(cells[index].text):
            continue
        for above in reversed(cells[max(0, index - MAX_GAP) : index]):
            if _is_title(above.text):
                name = cells[index]
                title_text = _PREFIX.sub("", above.text)
                title_start = above.end - len(title_text)
                return (
                    extracted(wt, collapse(title_text), title_start, above.end),
                    extracted(wt, collapse(name.text), name.start, name.end),
                )
            if is_person_name(above.text):
                break
    return None, None


def is_person_name(text: str) -> bool:
    """A Vietnamese personal name: 2 to 5 capitalised words ("Trương Thị Mỹ Dung")."""
    words = text.split()
    if not 2 <= len(words) <= 5 or words[0] in _NOT_NAMES:
        return False
    return all(w.isalpha() and w[0].isupper() and (w[1:].islower() or not w[1:]) for w in words)


def _is_title(text: str) -> bool:
    return is_upper_text(text) and not text.startswith("(") and len(text.split()) <= 14


def _tail_cells(wt: WorkingText) -> list[Line]:
    cells: list[Line] = []
    for line in wt.lines[-TAIL_LINES:]:
        for cell in line.cells(5):
            if _DASH.match(cell.text):
                continue
            split = _RUN_TOGETHER.match(cell.text)
            if split and not is_person_name(cell.text) and is_upper_text(split["title"]):
                title_end = cell.start + split.end("title")
                cells.append(Line(cell.start, title_end, split["title"].strip()))
                start = cell.start + split.start("name")
                cells.append(Line(start, cell.end, split["name"]))
            else:
                cells.append(cell)
    return cells
