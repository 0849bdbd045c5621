"""Tên loại văn bản (document type), only from what the document itself states.

In order: a type title line ("KẾ HOẠCH"); the type opening a headless notice
("Giấy mời dự ..."); the type's abbreviation in the notation ("KH-UBND"); a notation
without one (a công văn); the issuer saying "<body> thông báo" (a thông báo); a "V/v"
subject (a công văn); an invitation ("trân trọng kính mời") to a meeting (a giấy mời);
a "Kính gửi" line (a công văn).  A letter stating none of these has no type: the
parser does not guess one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from services.ingest.parsing.header import KINH_GUI, Header, is_title_line
from services.ingest.parsing.model import Extracted, Meeting, extracted
from services.ingest.parsing.text import WorkingText
from services.ingest.parsing.title import LEADING
from services.ingest.parsing.vocabulary import NOTATION_TYPES

_VV = re.compile(r"V/[vV]\b")
_INVITES = re.compile(r"(?<![^\W\d_])(?:trân\s*trọng\s*)?(?:kính|xin)\s*mời\b", re.IGNORECASE)


def read_doc_type(
    wt: WorkingText,
    header: Header,
    notation: Extracted[str] | None,
    meeting: Extracted[Meeting] | None,
    notice: Callable[[WorkingText], Extracted[str] | None],
) -> Extracted[str] | None:
    """The stated type, or None.  ``notice`` finds the issuer's "<body> thông báo" phrase
    (called only when nothing before it settles the type: it reads the whole text)."""
    for line in wt.lines[header.top : max(header.body_line, header.top + 1)]:
        title = is_title_line(line.text)
        if title:
            return extracted(wt, title, line.start, line.end)
    if wt.lines and header.issuer is None and (lead := LEADING.match(wt.lines[0].text)):
        first = wt.lines[0]
        value = lead.group("type").capitalize()
        return extracted(wt, value, first.start, first.start + len(lead.group("type")))
    if notation:
        tokens = [t for t in re.split(r"[-/]", notation.value) if not t.isdigit()]
        if tokens and tokens[0] in NOTATION_TYPES:
            return Extracted(value=NOTATION_TYPES[tokens[0]], span=notation.span)
        return Extracted(value="Công văn", span=notation.span)
    notifies = notice(wt)
    if notifies is not None:
        return Extracted(value="Thông báo", span=notifies.span)
    head = wt.lines[header.top : header.body_line + 1]
    subject_mark = next((line for line in head if _VV.search(line.text)), None)
    if subject_mark:
        return extracted(wt, "Công văn", subject_mark.start, subject_mark.end)
    if meeting is not None:
        invites = _INVITES.search(wt.text)
        if invites:
            return extracted(wt, "Giấy mời", *invites.span())
    addressed = next((line for line in wt.lines if KINH_GUI.match(line.text)), None)
    if addressed:
        return extracted(wt, "Công văn", addressed.start, addressed.end)
    return None
