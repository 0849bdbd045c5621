"""Độ khẩn (urgency) printed on a letter: the mark "KHẨN", "THƯỢNG KHẨN" or "HỎA TỐC" (Decree
30/2020/NĐ-CP, appendix I: the mark of urgency stands on its own in the header, under the number).

Only a header cell that is the mark and nothing else counts: "khẩn trương" in a sentence, or
"KHẨN" inside a title, is not one. The header ends at "Kính gửi" (or, without it, at the body), and
at most :data:`HEADER_LINES` lines are read. Edxml packages and JSON senders state urgency
themselves; this fills the gap for letters that only print it.
"""

from __future__ import annotations

import re

from services.ingest.parsing.header import KINH_GUI, Header
from services.ingest.parsing.model import Extracted, extracted
from services.ingest.parsing.text import WorkingText, collapse
from shared.events_exchange import Urgency

HEADER_LINES = 40
_MARKS = {"KHẨN": Urgency.URGENT, "THƯỢNG KHẨN": Urgency.VERY_URGENT,
          "HỎA TỐC": Urgency.EXPRESS, "HOẢ TỐC": Urgency.EXPRESS,
          "HỎA TỐC HẸN GIỜ": Urgency.EXPRESS, "HOẢ TỐC HẸN GIỜ": Urgency.EXPRESS}
_DECOR = re.compile(r"^[\s\-–—*!.:]+|[\s\-–—*!.:]+$")


def read_urgency(wt: WorkingText, header: Header) -> Extracted[str] | None:
    """The urgency the letter's header prints (an :class:`Urgency` value), or None."""
    end = next((n for n, line in enumerate(wt.lines[:HEADER_LINES]) if KINH_GUI.match(line.text)),
               None)
    if end is None:
        end = min(max(header.body_line, header.top + 1), HEADER_LINES)
    for line in wt.lines[:end]:
        for cell in line.cells():
            mark = _MARKS.get(collapse(_DECOR.sub("", cell.text)))
            if mark is not None:
                return extracted(wt, mark.value, cell.start, cell.end)
    return None
