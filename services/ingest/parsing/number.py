"""Số và ký hiệu: the document's own number and notation, as written in its header.

"Số: 123/SCT-VP", "Số 21-CV/ĐU" (a party body's style), "Số:.../KH-UBND" with the
number left blank.  The same notation grammar serves cited documents.
"""

from __future__ import annotations

import re

from services.ingest.parsing.text import WorkingText

#: Ký hiệu văn bản: tokens joined by - / & (spaces allowed around the joiners).
NOTATION = r"[^\W_][\w.&]*(?:[ \t]*[-–—/&]\s*[^\W_][\w.&]*)*"
#: "Số: 123/ABC-XY"; "Số 21-CV/ĐU" (party style: number, dash, notation with a slash);
#: "Số: .../ABC-XY" or "Số:     /ABC-XY" with the number left blank.
OWN_NUMBER = re.compile(
    r"(?<![^\W\d_])S[ốỐ][ \t]*:?[ \t]*(?:(?P<num>\d+[a-z]?)|[.…_]*)[ \t]*"
    r"(?:/|(?<=\d)[ \t]*[-–—](?=[ \t]*[^\W\d_][\w.&]*[ \t]*/))"
    rf"[ \t]*(?P<notation>{NOTATION})"
)
#: Where a notation runs into the next word: "UBND-VPV/v ...", "VPCP-KGVXngày".
_RUN_ON = re.compile(r"V/[vV](?=[\s:]|$)|(?<=[A-ZĐ])(?:ngày|Ngày)")
_SO_OPENING = re.compile(r"^S[ốỐ]\b")


def clean_notation(raw: str) -> str:
    """Ký hiệu without spaces, with en/em dashes as hyphens and no trailing dot."""
    return re.sub(r"\s+", "", raw).replace("–", "-").replace("—", "-").rstrip(".-/&")


def own_number(wt: WorkingText, start: int, end: int) -> re.Match[str] | None:
    """The "Số: 123/ABC-XY" of the document itself: "Số" opening its line or cell."""
    for match in OWN_NUMBER.finditer(wt.text, start, end):
        line_start = wt.text.rfind("\n", 0, match.start()) + 1
        prefix = re.split(r"\s{3,}", wt.text[line_start : match.start()])[-1]
        if not re.search(r"[^\W\d_]", prefix):
            return trim_run_on(OWN_NUMBER, wt.text, match)
    return None


def trim_run_on(pattern: re.Pattern[str], text: str, match: re.Match[str]) -> re.Match[str]:
    """``match`` again, ending where its notation runs into a "V/v" or a "ngày"."""
    run_on = _RUN_ON.search(text, match.start("notation") + 1, match.end())
    if run_on is None:
        return match
    return pattern.match(text, match.start(), run_on.start()) or match


def own_number_line(text: str) -> bool:
    """Whether a line (or its first cell) opens with the document's own "Số"."""
    return bool(_SO_OPENING.match(text))
