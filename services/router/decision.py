"""The routing decision: which units handle a dispatch, as chủ trì or phối hợp, and by when.

Pure and deterministic: :func:`route` reads only its arguments (no clock, no I/O), and every list
it returns follows the order of the rules file, the text or the organisation file.

1. Rules are tried in file order; the first whose conditions all hold gives the lead unit(s) and
   coordinating units (see :mod:`services.router.rules`).
2. A broadcast ("Kính gửi: Các phòng, đơn vị thuộc Sở", or a rule whose lead is ``each_unit``) gives
   every unit its own assignment: the units the rule names keep their role, every other unit
   coordinates (phối hợp) with the lead; with no lead named, every unit leads its own share.
3. Nothing matched and not a broadcast: the Office (Văn phòng) gets it in its triage queue.

Deadlines follow :mod:`services.router.deadlines`; a coordinating unit's is due to the first lead
unit, ``coordination_lead_days`` working days before the lead's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from services.router.deadlines import Deadlines, Due, show
from services.router.model import Assignment, RoutingDecision, RoutingInput
from services.router.rule_matching import DocumentFacts, first_match
from services.router.rules import EACH_UNIT, FROM_TEXT, Rule, RuleSet
from shared.organisation import Organisation
from shared.text_match import shorten
from shared.workdays import WorkCalendar

TRIAGE_RULE_ID = "triage"
BROADCAST_RULE_ID = "broadcast"


@dataclass(frozen=True)
class _Share:
    unit_code: str
    role: Literal["lead", "coordinating"]
    task: str | None  # None: derived from the deadline's "what" or the subject


def _rule_shares(rule: Rule, facts: DocumentFacts, subject: str) -> list[_Share]:
    then = rule.then
    shares: list[_Share]
    if then.lead == EACH_UNIT:
        shares = []
    elif then.lead == FROM_TEXT:
        shares = [_Share(a.lead, "lead", f"Chủ trì: {a.task}" if a.task else None)
                  for a in facts.assignments]
    else:
        shares = [_Share(then.lead, "lead", then.task or f"Chủ trì xử lý: {subject}")]
    taken = {s.unit_code for s in shares}
    for code in then.coordinating:
        codes = [c for a in facts.assignments for c in a.coordinating] if code == FROM_TEXT else [code]
        for c in codes:
            if c not in taken:
                taken.add(c)
                shares.append(_Share(c, "coordinating", None))
    return shares


def route(
    doc: RoutingInput, organisation: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> RoutingDecision:
    """Decide who handles ``doc`` and by when; the reason says why, in Vietnamese."""
    facts = DocumentFacts.of(doc, organisation, rules)
    found = first_match(rules, facts, doc)
    recipient = facts.broadcast_recipient
    reason: list[str] = []
    rule_days: int | None = None
    if found is not None:
        compiled, terms = found
        rule_id, rule_days = compiled.rule.id, compiled.rule.then.deadline_days
        shares = _rule_shares(compiled.rule, facts, doc.subject)
        matched = ", ".join(terms) or "áp dụng cho mọi văn bản"
        reason.append(f"Khớp quy tắc «{rule_id}» ({compiled.rule.description}): {matched}.")
    elif recipient is not None:
        rule_id, shares, terms = BROADCAST_RULE_ID, [], []
    else:
        office = organisation.office
        rule_id, terms = TRIAGE_RULE_ID, []
        shares = [_Share(office.code, "lead", f"Phân loại, trình Lãnh đạo Sở giao xử lý: {doc.subject}")]
        reason.append(f"Không quy tắc nào khớp: chuyển {office.name} ({office.code}) phân loại, "
                      "trình Lãnh đạo Sở giao đơn vị xử lý.")
    fan_out = recipient is not None or (found is not None and found[0].rule.then.lead == EACH_UNIT)
    if fan_out:
        sent = ""
        if recipient is not None and f"Kính gửi «{recipient}»" not in terms:
            terms = [*terms, f"Kính gửi «{recipient}»"]
            sent = f" (Kính gửi «{recipient}»)"
        role: Literal["lead", "coordinating"] = "coordinating" if shares else "lead"
        taken = {s.unit_code for s in shares}
        shares += [_Share(c, role, None) for c in organisation.all_unit_codes() if c not in taken]
        reason.append(f"Văn bản gửi tất cả các phòng, đơn vị{sent}: "
                      "mỗi đơn vị một phần việc, theo dõi riêng.")
    deadlines = Deadlines(doc, organisation, calendar, rule_days)
    dues = _dues(shares, deadlines)
    assignments = [_assign(s, due, deadlines.acknowledgement(due.at), doc, organisation, shares)
                   for s, due in zip(shares, dues, strict=True)]
    reason.append(_who(assignments, organisation, fan_out))
    caps, ack = deadlines.urgency, assignments[0].ack_due_at
    why_ack = f" ({caps.acknowledgement_basis})" if caps and ack == caps.acknowledge_by else ""
    reason.append(f"Hạn xử lý: {dues[0].basis}. Hạn xác nhận đã nhận: {show(ack)}{why_ack}.")
    part = next((d for s, d in zip(shares, dues, strict=True)
                 if s.role == "coordinating" and d.basis != dues[0].basis), None)
    if part is not None:
        reason.append(f"Hạn gửi phần phối hợp: {part.basis}.")
    return RoutingDecision(dispatch_id=doc.dispatch_id, assignments=assignments, rule_id=rule_id,
                           matched_terms=terms, reason=" ".join(reason), broadcast=fan_out)


def _dues(shares: list[_Share], deadlines: Deadlines) -> list[Due]:
    """Each share's deadline: a lead's its own, a coordinating unit's due to the first lead unit."""
    lead = next((s for s in shares if s.role == "lead"), None)
    lead_due = deadlines.for_unit(lead.unit_code) if lead is not None else None
    return [deadlines.for_unit(s.unit_code) if s.role == "lead" or lead is None or lead_due is None
            else deadlines.for_coordinator(s.unit_code, lead.unit_code, lead_due) for s in shares]


def _assign(share: _Share, due: Due, ack_due_at: datetime, doc: RoutingInput, org: Organisation,
            shares: list[_Share]) -> Assignment:
    """One unit's assignment; without a task of its own, the deadline's "what" or the subject."""
    task = share.task
    if task is None:
        if share.role == "lead":
            task = f"Thực hiện: {due.what or doc.subject}"
        elif due.what:
            task = f"Phối hợp: {due.what}"
        else:
            lead = next((org.unit_by_code(s.unit_code) for s in shares if s.role == "lead"), None)
            task = f"Phối hợp với {lead.name if lead else 'đơn vị chủ trì'}: {doc.subject}"
    return Assignment(unit_code=share.unit_code, role=share.role, due_at=due.at,
                      ack_due_at=ack_due_at, task=shorten(task))


def _who(assignments: list[Assignment], org: Organisation, broadcast: bool) -> str:
    def names(role: str) -> str:
        units = [org.unit_by_code(a.unit_code) for a in assignments if a.role == role]
        return ", ".join(f"{u.name} ({u.code})" for u in units if u is not None)

    leads, coordinating = names("lead"), names("coordinating")
    if broadcast and not coordinating:
        return "Chủ trì: từng phòng, đơn vị đối với phần việc của mình."
    text = f"Chủ trì: {leads}."
    if coordinating:
        text += " Phối hợp: các phòng, đơn vị còn lại." if broadcast else f" Phối hợp: {coordinating}."
    return text
