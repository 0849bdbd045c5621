"""Between Kafka events and the router's pure model. Pure: no I/O.

Every event the router emits has an id derived from what caused it, so reprocessing a redelivered
message emits the same id and consumers drop the duplicate.
"""

from __future__ import annotations

import datetime as dt

from services.router.model import RoutingDecision, RoutingInput
from services.router.reassignment import Dispute, Hop, Reroute
from shared.events import (
    AssignmentOverridden,
    AssignmentRole,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    ReassignmentHop,
    ResponsibilityDisputed,
    UnitAssignment,
    derived_event_id,
)


def routing_input(event: DispatchReceived) -> RoutingInput:
    """What the router needs of a received dispatch; the sender's own deadline counts as stated."""
    return RoutingInput(
        dispatch_id=event.dispatch_id, issuer=event.issuer, parent_issuer=event.parent_issuer,
        doc_type=event.doc_type, number=event.number, notation=event.notation,
        subject=event.subject, body=event.body, recipients=event.recipients,
        issued_on=event.issued_on, received_at=event.occurred_at,
        stated_deadlines=event.deadlines, sender_due_at=event.due_at, meeting=event.meeting,
        signature=event.signature, urgency=event.urgency)


def _assignment(a: object) -> UnitAssignment:
    return UnitAssignment(unit_code=a.unit_code, role=AssignmentRole(a.role),  # type: ignore[attr-defined]
                          due_at=a.due_at, ack_due_at=a.ack_due_at, task=a.task)  # type: ignore[attr-defined]


def assigned_event(decision: RoutingDecision, event: DispatchReceived,
                   now: dt.datetime) -> DispatchAssigned:
    """``DispatchAssigned`` for a decision; the matched terms are part of the reason."""
    terms = f" [{'; '.join(decision.matched_terms)}]" if decision.matched_terms else ""
    return DispatchAssigned(
        event_id=derived_event_id("assigned", event.dispatch_id), occurred_at=now,
        correlation_id=event.correlation_id, dispatch_id=event.dispatch_id, subject=event.subject,
        assignments=[_assignment(a) for a in decision.assignments], rule_id=decision.rule_id,
        reason=decision.reason + terms, urgency=event.urgency)


def event_hop(hop: Hop) -> ReassignmentHop:
    """A hop as the events carry it."""
    return ReassignmentHop(from_unit=hop.from_unit, to_unit=hop.to_unit, action=hop.action,
                           reason=hop.reason, at=hop.at)


def reroute_event(outcome: Reroute, history: list[Hop], dispatch_id: str, cause_id: str,
                  due_at: dt.datetime, ack_due_at: dt.datetime, now: dt.datetime,
                  role: AssignmentRole = AssignmentRole.LEAD) -> DispatchReassigned:
    """``DispatchReassigned`` moving the assignment (in ``role``) to the unit the router chose."""
    return DispatchReassigned(
        event_id=derived_event_id("reassigned", cause_id), occurred_at=now,
        correlation_id=dispatch_id, dispatch_id=dispatch_id, from_unit=outcome.hop.from_unit,
        assignment=UnitAssignment(unit_code=outcome.to_unit, role=role,
                                  due_at=due_at, ack_due_at=min(ack_due_at, due_at),
                                  task=outcome.note),
        chain=[event_hop(h) for h in [*history, outcome.hop]], reason=outcome.note)


def dispute_event(outcome: Dispute, dispatch_id: str, subject: str | None, cause_id: str,
                  now: dt.datetime) -> ResponsibilityDisputed:
    """``ResponsibilityDisputed`` with the whole chain, for leadership to decide."""
    units = list(dict.fromkeys(u for h in outcome.chain for u in (h.from_unit, h.to_unit) if u))
    return ResponsibilityDisputed(
        event_id=derived_event_id("disputed", cause_id), occurred_at=now,
        correlation_id=dispatch_id, dispatch_id=dispatch_id, subject=subject, units=units,
        chain=[event_hop(h) for h in outcome.chain], reason=outcome.note)


def reroute_event_for_override(share: object, hop: Hop, history: list[Hop],
                               event: AssignmentOverridden, index: int,
                               previous_lead: str | None, now: dt.datetime) -> DispatchReassigned:
    """``DispatchReassigned`` for one assignment of leadership's new decision."""
    assignment = _assignment(share)
    lead = assignment.role is AssignmentRole.LEAD
    return DispatchReassigned(
        event_id=derived_event_id("overridden", event.event_id, str(index)), occurred_at=now,
        correlation_id=event.dispatch_id, dispatch_id=event.dispatch_id,
        from_unit=previous_lead if lead else None, assignment=assignment,
        chain=[event_hop(h) for h in [*history, hop]],
        reason=f"{event.decided_by}: {event.reason}")
