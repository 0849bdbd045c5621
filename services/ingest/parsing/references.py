"""Văn bản được viện dẫn: documents cited in the text, with number, notation and date.

"Văn bản số 8135/UBND-HCC ngày 10/8/2023", "Báo cáo 446/BC-UBND ngày 29/12/2023",
"Kết luận số 64-KL/TW ngày 28/5/2013", "Nghị định số 179/2007/NĐ-CP ngày 3 tháng 12
năm 2007".  A citation needs a citing word before it or a date after it.
"""

from __future__ import annotations

import re

from services.ingest.parsing.dates import DATE, find_dates
from services.ingest.parsing.model import DocumentRef, Extracted, extracted
from services.ingest.parsing.number import NOTATION, clean_notation, trim_run_on
from services.ingest.parsing.text import WorkingText
from services.ingest.parsing.vocabulary import CITING_WORDS

_REFERENCE = re.compile(rf"(?<![\w/.,])(?P<num>\d{{1,6}}[a-z]?)[ \t]*[/-][ \t]*(?P<notation>{NOTATION})")
_CITED_BY = re.compile(rf"(?:{CITING_WORDS})[\s:]*$", re.IGNORECASE)
_DATE_LEAD = re.compile(r"[ \t]*[,(]?\s*(?:(?:ban\s*hành|ký)\s*)?(?:ngày)?\s*", re.IGNORECASE)
_OWN_LINE = re.compile(r"(?:^|\n|[ \t]{3})[ \t]*S[ốỐ][ \t]*:?[ \t]*$")


def read_references(wt: WorkingText, own: tuple[str | None, str | None]) -> list[Extracted[DocumentRef]]:
    """Documents cited in ``wt``, without the document's own number ``own``."""
    found: dict[tuple[str, str], Extracted[DocumentRef]] = {}
    own_key = ((own[0] or "").lstrip("0"), _loose(own[1] or ""))
    for raw in _REFERENCE.finditer(wt.text):
        match = trim_run_on(_REFERENCE, wt.text, raw)
        notation = clean_notation(match.group("notation"))
        if not _is_notation(notation):
            continue
        date, end = _date_after(wt, match.end())
        before = wt.text[max(0, match.start() - 30) : match.start()]
        if _OWN_LINE.search(before):  # "Số: 12/ABC" opening a line: a document's own number
            continue
        if date is None and not _CITED_BY.search(before):
            continue
        key = (match.group("num"), notation.casefold())
        if (key[0].lstrip("0"), _loose(notation)) == own_key:  # the letter itself, however written
            continue
        if key in found:
            if found[key].value.date is None and date is not None:
                previous = found[key].value
                found[key] = extracted(wt, previous.model_copy(update={"date": date}), match.start(), end)
            continue
        ref = DocumentRef(number=match.group("num"), notation=notation, date=date)
        found[key] = extracted(wt, ref, match.start(), end)
    return list(found.values())


def _loose(notation: str) -> str:
    """A notation compared loosely: no year in front, letters and digits only, casefolded."""
    return "".join(c for c in re.sub(r"^\d{4}/", "", notation) if c.isalnum()).casefold()


def _is_notation(notation: str) -> bool:
    """Ký hiệu: first token an abbreviation (≥2 capitals, "TTr", "QĐ") or a year."""
    tokens = re.split(r"[-/]", notation)
    first = tokens[0]
    if first.isdigit():
        return len(first) == 4 and len(tokens) > 1 and _is_notation("-".join(tokens[1:]))
    capitals = sum(1 for c in first if c.isupper())
    return capitals >= 2 and first[0].isupper()


def _date_after(wt: WorkingText, pos: int) -> tuple[str | None, int]:
    lead = _DATE_LEAD.match(wt.text, pos)
    start = lead.end() if lead else pos
    match = DATE.match(wt.text, start)
    if match:
        dates = find_dates(wt.text, match.start(), match.end())
        if dates:
            return dates[0].value, match.end()
    return None, pos
