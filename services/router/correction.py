"""Routing again after the Office corrects a field (issue 18). Pure.

When a field routing depends on changes (issuer, doc_type, recipients, deadlines, ...), the router
decides again on the corrected dispatch (:func:`services.router.decision.route`, the same rules as
on arrival) and :func:`redecide` compares: the same units in the same roles leave the dispatch as it
is; different ones re-route it through the path of a leadership override (``DispatchReassigned``
with an ``override`` hop: the tracker cancels the previous lead's assignment and opens the new
ones), with the reason in Vietnamese. A dispatch leadership has already decided on keeps that
decision: a correction does not undo an override.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from services.router.model import RoutingDecision
from services.router.reassignment import OVERRIDE_RULE_ID, Hop

FIELD_WORDS = {"issuer": "Cơ quan ban hành", "parent_issuer": "Cơ quan chủ quản",
               "doc_type": "Loại văn bản", "notation": "Ký hiệu", "subject": "Trích yếu",
               "recipients": "Kính gửi", "deadlines": "Hạn nêu trong văn bản",
               "meeting": "Cuộc họp"}


class Rerouting(BaseModel):
    """Re-route to ``decision``; ``hop`` is the step appended to the chain."""

    model_config = ConfigDict(frozen=True)

    decision: RoutingDecision
    hop: Hop
    previous_lead: str | None


def shown(value: Any) -> str:
    """A field's value, short, in a clerk's words."""
    if value in (None, "", [], {}):
        return "trống"
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    return str(value)


def _shares(decision: RoutingDecision, holder: str | None) -> set[tuple[str, str]]:
    """(unit, role) of a decision, its lead replaced by the unit holding it now (after a handoff)."""
    shares: set[tuple[str, str]] = {(a.unit_code, a.role) for a in decision.assignments}
    leads = [a.unit_code for a in decision.leads]
    if holder is not None and len(leads) == 1 and holder != leads[0]:
        shares = (shares - {(leads[0], "lead")}) | {(holder, "lead")}
    return shares


def redecide(current: RoutingDecision, history: list[Hop], new: RoutingDecision, *, field: str,
             before: Any, after: Any, at: AwareDatetime) -> Rerouting | None:
    """The re-routing a correction calls for, or None when the dispatch stays where it is."""
    if current.rule_id == OVERRIDE_RULE_ID:
        return None  # leadership decided; a corrected field does not undo it
    holder = history[-1].to_unit if history else next((a.unit_code for a in current.leads), None)
    if _shares(current, holder) == _shares(new, None):
        return None
    why = (f"Định tuyến lại sau khi Văn phòng sửa {FIELD_WORDS.get(field, field)}: "
           f"«{shown(before)}» → «{shown(after)}».")
    decision = new.model_copy(update={"reason": f"{why} {new.reason}"})
    lead = next((a.unit_code for a in new.leads), new.assignments[0].unit_code)
    hop = Hop(from_unit=holder, to_unit=lead, action="override", reason=why, at=at)
    return Rerouting(decision=decision, hop=hop, previous_lead=holder)
