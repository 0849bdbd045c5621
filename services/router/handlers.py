"""Router handlers: route received dispatches; re-route declines, transfers and overrides.

A letter whose body ingest stored apart (``body_ref``) is routed on that body, read back through
the repository; if it cannot be read, the Office triages it (:mod:`services.router.stored_body`).
So does a letter whose digital signature is invalid or names another organisation than its issuer
(:mod:`services.router.signature_review`).
A package that revokes, replaces or updates an earlier document withdraws it
(:mod:`services.router.exchange_handling`).
A dispatch that keeps bouncing between units (đùn đẩy) is not re-routed again: the router raises
``ResponsibilityDisputed`` with the whole chain for leadership to decide.
"""

from __future__ import annotations

import asyncio

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.router import translate
from services.router.correction_handling import CorrectionHandling
from services.router.decision import route
from services.router.exchange import FiledDocument, acts_on_earlier
from services.router.exchange_handling import ExchangeHandling
from services.router.model import RoutingDecision, RoutingInput
from services.router.reassignment import (
    Dispute,
    Handoff,
    Hop,
    LeadershipOverride,
    apply_override,
    passed_on_role,
    reassign,
)
from services.router.repository import RoutingRepository
from services.router.rules import RuleSet
from services.router.settings import RouterSettings
from services.router.signature_review import review_reason, triage_for_review
from services.router.stored_body import Unreadable, body_text, triage_unreadable
from shared import topics
from shared.clock import Clock
from shared.events import (
    AssignmentOverridden,
    AssignmentRole,
    DeadLetter,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    ResponseAction,
    ResponsibilityDisputed,
    UnitResponded,
)
from shared.events_corrections import DispatchCorrected
from shared.events_withdrawal import DispatchWithdrawn
from shared.kafka import (
    dead_letter,
    declare_publications,
    publish_dead_letter,
    subscribe_table,
)
from shared.logging import get_logger
from shared.organisation import Organisation
from shared.publishing import Outgoing, publish_all

log = get_logger(__name__)


class RouterHandlers:
    """The router's event handlers, with their dependencies injected."""

    def __init__(self, broker: KafkaBroker, repo: RoutingRepository, organisation: Organisation,
                 rules: RuleSet, clock: Clock) -> None:
        self.broker, self.repo, self.org, self.rules, self.clock = (
            broker, repo, organisation, rules, clock)
        self.calendar = organisation.work_calendar()
        self.exchange = ExchangeHandling(broker, repo, organisation, clock)
        self.corrections = CorrectionHandling(broker, repo, clock)  # issue 18

    async def _publish(self, event: object, topic: str, dispatch_id: str) -> None:
        await self.broker.publish(event, topic=topic, key=dispatch_id.encode())

    async def on_received(self, events: list[DispatchReceived]) -> None:
        """Route the batch's new documents (:meth:`_route_new`), then apply, one at a time, the
        packages that revoke, replace or update an earlier document
        (:class:`~services.router.exchange_handling.ExchangeHandling`): after the new ones, so an
        earlier document in the same batch is found."""
        batch = list({event.event_id: event for event in events}.values())  # a copy once
        await self._route_new([e for e in batch if not acts_on_earlier(e)])
        for event in batch:
            if acts_on_earlier(event):
                with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                    await self.exchange.handle(event, self._decide_one)

    async def _route_new(self, batch: list[DispatchReceived]) -> None:
        """Decide lead and coordinating units and deadlines; the same dispatch, the same decision.

        The batch as a batch: the stored bodies it needs are read concurrently, every decision is
        made in pure code; the decisions are kept in one unordered insert (a redelivered dispatch
        keeps its first) while every ``DispatchAssigned`` (its id derived from the dispatch's) is
        handed to the producer at once; the insert and the acknowledgements are awaited together,
        before the offsets are committed, so the tracker need not wait for the router's write.
        Dispatches with an edXML DocumentId are indexed by it."""
        docs = [translate.routing_input(event) for event in batch]
        refs = sorted({e.body_ref for e, doc in zip(batch, docs, strict=True)
                       if e.body is None and e.body_ref and review_reason(doc) is None})
        bodies = dict(zip(refs, await asyncio.gather(*(self.repo.stored_body(r) for r in refs)),
                          strict=True))
        decided: list[tuple[DispatchReceived, RoutingDecision]] = []
        for event, doc in zip(batch, docs, strict=True):
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                decided.append((event, self._decide(event, doc, bodies)))
        now = self.clock.now()
        filed = [f for f in map(FiledDocument.of, batch) if f is not None]
        await asyncio.gather(  # all done before the commit; a redelivery redoes them
            self.repo.record_decisions([(d, event.subject) for event, d in decided]),
            self.repo.file_documents(filed),
            publish_all(self.broker, [
                Outgoing(translate.assigned_event(d, event, now), topics.DISPATCH_ASSIGNED,
                         event.dispatch_id) for event, d in decided]))
        for event, d in decided:
            log.info("dispatch routed", dispatch_id=event.dispatch_id, event_id=event.event_id,
                     rule_id=d.rule_id, broadcast=d.broadcast,
                     units=[a.unit_code for a in d.assignments])

    async def _decide_one(self, event: DispatchReceived) -> RoutingDecision:
        """:meth:`_decide` for one dispatch, its stored body read first if it needs one."""
        doc = translate.routing_input(event)
        ref = event.body_ref if event.body is None and review_reason(doc) is None else None
        bodies = {ref: await self.repo.stored_body(ref)} if ref else {}
        return self._decide(event, doc, bodies)

    def _decide(self, event: DispatchReceived, doc: RoutingInput,
                bodies: dict[str, bytes | None]) -> RoutingDecision:
        """Route on the full body: inline, or read back from the blob store (``body_ref``)."""
        if (review := review_reason(doc)) is not None:
            log.warning("signature needs review: office triage", why=review)
            return triage_for_review(doc, self.org, self.calendar, review)
        if event.body is None and event.body_ref:
            body = body_text(bodies.get(event.body_ref))
            if isinstance(body, Unreadable):
                log.warning("stored body unreadable: office triage", body_ref=event.body_ref,
                            why=body.why)
                return triage_unreadable(doc, self.org, self.calendar, body, event.body_ref)
            doc = doc.model_copy(update={"body": body})
        return route(doc, self.org, self.rules, self.calendar)

    async def on_responded(self, events: list[UnitResponded]) -> None:
        """Re-route declined or transferred assignments, or raise a dispute."""
        for event in events:
            if event.action not in (ResponseAction.DECLINE, ResponseAction.TRANSFER):
                continue
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await self._handoff(event)

    async def _handoff(self, event: UnitResponded) -> None:
        decision, history, applied, subject = await self.repo.state(event.dispatch_id)
        if event.event_id in applied:
            return
        handoff = Handoff(from_unit=event.unit_code, action=event.action.value,
                          named_unit=event.transfer_to, reason=event.note or "không nêu lý do",
                          at=event.occurred_at)
        outcome = reassign(history, handoff, self.org)
        now = self.clock.now()
        if isinstance(outcome, Dispute):
            disputed = translate.dispute_event(outcome, event.dispatch_id, subject,
                                               event.event_id, now)
            await self._publish(disputed, topics.DISPATCH_DISPUTED, event.dispatch_id)
            await self.repo.record_hop(event.dispatch_id, outcome.chain[-1], event.event_id)
            log.warning("responsibility disputed", units=disputed.units)
            return
        shares = decision.assignments if decision else []
        own = [a for a in shares if a.unit_code == event.unit_code] or shares
        due_at = min(a.due_at for a in own) if own else self.calendar.add_working_days(
            now, self.org.handling.fallback_days)
        ack = self.calendar.add_working_days(now, self.org.handling.acknowledgement_days)
        role = passed_on_role(event.role.value if event.role else None, outcome)
        moved = translate.reroute_event(outcome, history, event.dispatch_id, event.event_id,
                                        due_at, ack, now, AssignmentRole(role))
        await self._publish(moved, topics.DISPATCH_REASSIGNED, event.dispatch_id)
        await self.repo.record_hop(event.dispatch_id, outcome.hop, event.event_id)
        log.info("dispatch re-routed", from_unit=event.unit_code, to_unit=outcome.to_unit)

    async def on_overridden(self, events: list[AssignmentOverridden]) -> None:
        """Apply leadership's decision; it wins over rules and bounces, and is logged."""
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await self._override(event)

    async def _override(self, event: AssignmentOverridden) -> None:
        decision, history, applied, _ = await self.repo.state(event.dispatch_id)
        if event.event_id in applied or decision is None:
            if decision is None:
                await self._dead_letter(event, "no routing decision for this dispatch")
            return
        order = LeadershipOverride(lead_unit=event.lead_unit, decided_by=event.decided_by,
                                   coordinating_units=event.coordinating_units,
                                   due_at=event.due_at, at=event.occurred_at)
        try:
            new = apply_override(decision, order, self.org, self.calendar)
        except ValueError as exc:
            await self._dead_letter(event, str(exc))
            return
        previous_lead = next((a.unit_code for a in decision.leads), None)
        hop = Hop(from_unit=previous_lead, to_unit=event.lead_unit, action="override",
                  reason=event.reason, at=event.occurred_at)
        for index, share in enumerate(new.assignments):
            moved = translate.reroute_event_for_override(
                share, hop, history, event, index, previous_lead, self.clock.now())
            await self._publish(moved, topics.DISPATCH_REASSIGNED, event.dispatch_id)
        await self.repo.record_hop(event.dispatch_id, hop, event.event_id, new)
        log.warning("assignment overridden by leadership", decided_by=event.decided_by,
                    lead_unit=event.lead_unit, reason=event.reason)

    async def on_corrected(self, events: list[DispatchCorrected]) -> None:
        """Decide again on dispatches whose routing fields the Office corrected (issue 18)."""
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                await self.corrections.handle(event, self._decide_one)

    async def _dead_letter(self, event: AssignmentOverridden, reason: str) -> None:
        await publish_dead_letter(self.broker, dead_letter(
            "router", topics.ASSIGNMENT_OVERRIDDEN, reason, event.dispatch_id,
            event.model_dump_json()))
        log.warning("override refused", reason=reason)


def register(broker: KafkaBroker, settings: RouterSettings, handlers: RouterHandlers) -> None:
    """Subscribe the router (one consumer group, so replicas share partitions)."""
    declare_publications(broker, "router", {
        topics.DISPATCH_ASSIGNED: DispatchAssigned, topics.DISPATCH_REASSIGNED: DispatchReassigned,
        topics.DISPATCH_WITHDRAWN: DispatchWithdrawn,
        topics.DISPATCH_DISPUTED: ResponsibilityDisputed, topics.DEAD_LETTER: DeadLetter})
    subscribe_table(broker, service="router", group_id="vanthu-router",
                    max_attempts=settings.handler_max_attempts, table={
        topics.DISPATCH_RECEIVED: (DispatchReceived, handlers.on_received),
        topics.UNIT_RESPONDED: (UnitResponded, handlers.on_responded),
        topics.ASSIGNMENT_OVERRIDDEN: (AssignmentOverridden, handlers.on_overridden),
        topics.DISPATCH_CORRECTED: (DispatchCorrected, handlers.on_corrected),
    })
