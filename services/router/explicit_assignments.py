"""Assignments written in the text itself: "Giao Văn phòng Sở chuẩn bị …", "giao Phòng Quản lý
Thương mại chủ trì, phối hợp với Phòng Quản lý Công nghiệp …", "Thanh tra Sở chủ trì …".

Pure: a unit is recognised through the organisation's names and aliases (case, diacritics and spacing
ignored). Each clause, from the trigger to the end of its sentence (".", ";"), yields a lead unit
(chủ trì), the units it names after "phối hợp với" (phối hợp), and the clause as the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.organisation import Organisation
from shared.text_match import fold, normalise, shorten

_TRIGGER = re.compile(r"giao|chủ trì")
_GIAO = re.compile(r"(?<!\w)(?<!bàn )(?<!chuyển )giao(?:\s+nhiệm vụ)?(?:\s+cho)?\s+")
_CHU_TRI_WORD = re.compile(r"(?<!\w)chủ trì(?!\w)")
_CHU_TRI = re.compile(r"\s*,?\s*(?:là đơn vị\s+|làm đầu mối\s+)?chủ trì(?!\w)")
_PHOI_HOP_VOI = re.compile(r"(?<!\w)phoi hop voi(?!\w)")
_CLAUSE_END = re.compile(r";|\.(?=\s|$)")
_SLACK = 24
"""Characters allowed between a unit's name and "chủ trì" ("…, là đơn vị chủ trì")."""


@dataclass(frozen=True)
class TextAssignment:
    """One assignment the text makes: the lead unit, its coordinating units, the wording."""

    lead: str
    coordinating: tuple[str, ...]
    matched: str
    """The words that named the lead, as written ("Giao Văn phòng Sở")."""
    task: str
    """The rest of the clause, shortened: what the lead unit is asked to do."""


def find_assignments(text: str, organisation: Organisation) -> list[TextAssignment]:
    """Every explicit assignment in ``text``, in reading order (one per lead unit).

    Only the words around a trigger ("giao", "chủ trì") are searched for unit names, so a long body
    costs little more than one regular-expression scan.
    """
    norm = normalise(text)
    lowered = norm.lower()
    width = max(map(len, organisation.unit_keys)) + _SLACK
    found: dict[str, TextAssignment] = {}
    for candidate in _TRIGGER.finditer(lowered):  # a literal scan; word boundaries checked next
        at = candidate.start()
        trigger = (_GIAO if candidate.group() == "giao" else _CHU_TRI_WORD).match(lowered, at)
        if trigger is None:
            continue
        span = _mention(trigger, lowered, organisation, width)
        if span is None:
            continue
        start, end, unit_code = span
        if unit_code in found:
            continue
        chu_tri = _CHU_TRI.match(lowered, end)
        rest = chu_tri.end() if chu_tri else end
        stop = _CLAUSE_END.search(norm, rest)
        clause_end = stop.start() if stop else len(norm)
        matched_start = trigger.start() if trigger.group().startswith("giao") else start
        found[unit_code] = TextAssignment(
            lead=unit_code,
            coordinating=_coordinating(fold(lowered[rest:clause_end]), organisation, unit_code),
            matched=norm[matched_start:rest],
            task=shorten(norm[rest:clause_end].strip(" ,:-–")),
        )
    return list(found.values())


def _mention(trigger: re.Match[str], lowered: str, org: Organisation,
             width: int) -> tuple[int, int, str] | None:
    """(start, end, unit code) of the unit named right after "giao" or right before "chủ trì"."""
    if trigger.group().startswith("giao"):
        at = trigger.end()
        m = org.mention_pattern.match(fold(lowered[at:at + width]))
        unit = org.resolve_unit(m.group()) if m else None
        return (at, at + m.end(), unit.code) if m and unit else None
    lo = trigger.start() - width
    lo = 0 if lo <= 0 else lowered.find(" ", lo) + 1  # start the window on a word
    for m in reversed(list(org.mention_pattern.finditer(fold(lowered[lo:trigger.start()])))):
        chu_tri = _CHU_TRI.match(lowered, lo + m.end())
        unit = org.resolve_unit(m.group())
        if chu_tri and chu_tri.end() == trigger.end() and unit:
            return lo + m.start(), lo + m.end(), unit.code
    return None


def _coordinating(folded_clause: str, org: Organisation, lead: str) -> tuple[str, ...]:
    """The units named after "phối hợp với" in the clause, in order, without the lead."""
    with_ = _PHOI_HOP_VOI.search(folded_clause)
    if with_ is None:
        return ()
    codes: list[str] = []
    for m in org.mention_pattern.finditer(folded_clause, with_.end()):
        unit = org.resolve_unit(m.group())
        if unit is not None and unit.code != lead and unit.code not in codes:
            codes.append(unit.code)
    return tuple(codes)
