"""Reassignment: a unit declines (từ chối) or transfers (chuyển) a dispatch — and the "đùn đẩy" guard.

Pure. A decline or transfer re-routes the dispatch to the unit the decliner names, when that is a
real unit other than itself; otherwise to the Office's triage queue (Văn phòng). The bouncing stops,
and a :class:`Dispute` with the whole chain goes to leadership instead, when

- the dispatch has already been passed on ``max_bounces`` times (organisation file, default 2), or
- it would come back to a unit that already declined or transferred it (the Office excepted: going
  back to triage is not đùn đẩy, though it still counts as a hop).

A leadership decision (:func:`apply_override`) always wins, over rules, chains and disputes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.router.deadlines import contribution_due_at, show
from services.router.model import Assignment, RoutingDecision
from shared.organisation import Organisation, Unit
from shared.workdays import WorkCalendar

OVERRIDE_RULE_ID = "leadership-override"
_VERB = {"decline": "từ chối", "transfer": "chuyển"}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hop(_Frozen):
    """One step of an assignment chain: ``from_unit`` passed the dispatch to ``to_unit``.

    An ``override`` hop is a leadership decision: the chain before it no longer counts.
    """

    from_unit: str | None
    to_unit: str
    action: Literal["decline", "transfer", "override"]
    reason: str | None = None
    at: AwareDatetime


class Handoff(_Frozen):
    """A unit's request to pass the dispatch on, naming (or not) the unit it belongs to."""

    from_unit: str
    action: Literal["decline", "transfer"]
    named_unit: str | None = Field(default=None, description="Code, name or alias, as written.")
    reason: str
    at: AwareDatetime


class Reroute(_Frozen):
    """Give the dispatch to ``to_unit``; ``hop`` is the step to append to the chain."""

    kind: Literal["reroute"] = "reroute"
    to_unit: str
    hop: Hop
    via_triage: bool
    note: str = Field(description="Why, in a clerk's words.")


class Dispute(_Frozen):
    """Đùn đẩy: stop re-routing and ask ``escalate_to`` (a deputy, or the director) to decide."""

    kind: Literal["dispute"] = "dispute"
    chain: list[Hop] = Field(description="Every hop since the last override, the refused one last.")
    escalate_to: str = Field(description="Code of the Phó Giám đốc phụ trách, or of the Giám đốc.")
    note: str

    @property
    def units(self) -> list[str]:
        """The units involved, in the order of the chain."""
        return units_of(self.chain)


def units_of(chain: list[Hop]) -> list[str]:
    """The units a chain passes through, each once, in order."""
    return list(dict.fromkeys(u for h in chain for u in (h.from_unit, h.to_unit) if u))


def reassign(history: list[Hop], handoff: Handoff, organisation: Organisation,
             max_bounces: int | None = None) -> Reroute | Dispute:
    """Decide where a declined or transferred dispatch goes next (see the module docstring).

    ``history`` is the chain so far, oldest first; only the hops after its last ``override`` count.
    """
    overrides = [i for i, h in enumerate(history) if h.action == "override"]
    history = history[overrides[-1] + 1:] if overrides else history
    limit = organisation.max_bounces if max_bounces is None else max_bounces
    target = _named(handoff, organisation)
    office = organisation.office
    to_unit = target.code if target else office.code
    hop = Hop(from_unit=handoff.from_unit, to_unit=to_unit, action=handoff.action,
              reason=handoff.reason, at=handoff.at)
    chain = [*history, hop]
    refused = {h.from_unit for h in history if h.from_unit} | {handoff.from_unit}
    if len(history) >= limit:
        why = f"đã bị chuyển qua lại {len(chain)} lần ({_path(chain)})"
        return _dispute(chain, why, organisation)
    if to_unit in refused and to_unit != office.code:
        why = f"{to_unit} đã từ chối hoặc chuyển văn bản này trước đó ({_path(chain)})"
        return _dispute(chain, why, organisation)
    said = f"{handoff.from_unit} {_VERB[handoff.action]}: {handoff.reason}."
    if target is None:
        named = (f"«{handoff.named_unit}» không phải đơn vị nhận được"
                 if handoff.named_unit else "không nêu đơn vị")
        return Reroute(to_unit=to_unit, hop=hop, via_triage=True,
                       note=f"{said} {named}: chuyển {office.name} ({office.code}) phân loại.")
    return Reroute(to_unit=to_unit, hop=hop, via_triage=False,
                   note=f"{said} Chuyển {target.name} ({target.code}) theo đề nghị.")


def passed_on_role(answered: str | None, outcome: Reroute) -> Literal["lead", "coordinating"]:
    """The role the next unit gets: a coordinating (phối hợp) part passed to a named unit stays
    coordinating, so the lead unit (chủ trì) stays the one lead; anything going to the Office's
    triage, or a part whose role was not said, is the Office's or the unit's to lead."""
    return "coordinating" if answered == "coordinating" and not outcome.via_triage else "lead"


def _named(handoff: Handoff, org: Organisation) -> Unit | None:
    if not handoff.named_unit:
        return None
    unit = org.unit_by_code(handoff.named_unit.strip()) or org.resolve_unit(handoff.named_unit)
    return None if unit is None or unit.code == handoff.from_unit else unit


def _path(chain: list[Hop]) -> str:
    return " → ".join([chain[0].from_unit or "?", *(h.to_unit for h in chain)])


def _dispute(chain: list[Hop], why: str, org: Organisation) -> Dispute:
    """Escalate to the one deputy in charge of every unit involved, else to the director."""
    units = [u for u in units_of(chain) if u != org.office.code]
    deputies = {d.code: d for u in units if (d := org.deputy_for(u)) is not None}
    who = next(iter(deputies.values())) if len(deputies) == 1 else org.leadership.director
    note = (f"Văn bản {why}: dừng đùn đẩy, trình {who.title} {who.name} ({who.code}) "
            "quyết định đơn vị chủ trì.")
    return Dispute(chain=chain, escalate_to=who.code, note=note)


class LeadershipOverride(_Frozen):
    """Lãnh đạo Sở decides: a new lead unit, coordinating units and optionally a new deadline."""

    lead_unit: str
    coordinating_units: list[str] = []
    due_at: AwareDatetime | None = None
    task: str | None = None
    decided_by: str = Field(description="Who decided, e.g. 'Phó Giám đốc Trần Thị Bình'.")
    at: AwareDatetime


def apply_override(current: RoutingDecision, override: LeadershipOverride,
                   organisation: Organisation, calendar: WorkCalendar) -> RoutingDecision:
    """The decision after a leadership override, which always wins.

    Without a new deadline the earliest deadline of the current decision's lead units stays. Unknown
    unit codes raise ``ValueError`` (a typo must not silently drop the dispatch).
    """
    codes = list(dict.fromkeys([override.lead_unit, *override.coordinating_units]))
    unknown = [c for c in codes if organisation.unit_by_code(c) is None]
    lead = organisation.unit_by_code(override.lead_unit)
    if unknown or lead is None:
        raise ValueError(f"unknown unit code(s): {', '.join(unknown)}")
    leads = current.leads or current.assignments
    due_at: datetime = override.due_at or min(a.due_at for a in leads)
    ack = min(calendar.add_working_days(override.at, organisation.handling.acknowledgement_days), due_at)
    tasks = {override.lead_unit: override.task or f"Chủ trì xử lý theo chỉ đạo của {override.decided_by}"}
    part = contribution_due_at(due_at, override.at, organisation.handling.coordination_lead_days,
                               calendar)  # a coordinating unit's, due to the lead (deadlines.py)
    assignments = [
        Assignment(unit_code=c, role="lead" if c == override.lead_unit else "coordinating",
                   due_at=due_at if c == override.lead_unit else part,
                   ack_due_at=ack if c == override.lead_unit else min(ack, part),
                   task=tasks.get(c, f"Phối hợp với {lead.name} theo chỉ đạo của {override.decided_by}"))
        for c in codes
    ]
    others = ", ".join(codes[1:]) or "không"
    reason = (f"{override.decided_by} chỉ đạo: {lead.name} ({lead.code}) chủ trì, phối hợp: {others}; "
              f"hạn xử lý {show(due_at)}. Chỉ đạo của Lãnh đạo Sở thay thế mọi phân công trước.")
    return RoutingDecision(dispatch_id=current.dispatch_id, assignments=assignments,
                           rule_id=OVERRIDE_RULE_ID, matched_terms=[], reason=reason, broadcast=False)
