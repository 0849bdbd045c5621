"""The router's handling of a corrected dispatch (``DispatchCorrected``, issue 18).

A review that changed a field routing depends on carries the dispatch as received with the
correction; the router decides again on it as on arrival (its stored body read back, its signature
reviewed), lets :func:`services.router.correction.redecide` compare, and re-routes through the
path of a leadership override: one ``DispatchReassigned`` per assignment of the new decision, the
hop and the new decision recorded once per event (a redelivery is skipped). Other reviews only
change the tracker's view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from faststream.kafka import KafkaBroker

from services.router.correction import Rerouting, redecide
from services.router.model import RoutingDecision
from services.router.reassignment import Hop
from services.router.repository import RoutingRepository
from services.router.translate import event_hop
from shared import topics
from shared.clock import Clock
from shared.events import (
    AssignmentRole,
    DispatchReassigned,
    DispatchReceived,
    UnitAssignment,
    derived_event_id,
)
from shared.events_corrections import DispatchCorrected
from shared.logging import get_logger
from shared.publishing import Outgoing, publish_all

log = get_logger(__name__)
Decide = Callable[[DispatchReceived], Awaitable[RoutingDecision]]


def moved_events(plan: Rerouting, history: list[Hop], event: DispatchCorrected,
                 now: dt.datetime) -> list[DispatchReassigned]:
    """One ``DispatchReassigned`` per assignment of the new decision (ids derived from the
    correction's, so a redelivery emits the same ones). Pure."""
    chain = [event_hop(h) for h in [*history, plan.hop]]
    return [DispatchReassigned(
        event_id=derived_event_id("corrected", event.event_id, str(index)), occurred_at=now,
        correlation_id=event.correlation_id, dispatch_id=event.dispatch_id,
        from_unit=plan.previous_lead if share.role == "lead" else None,
        assignment=UnitAssignment(unit_code=share.unit_code, role=AssignmentRole(share.role),
                                  due_at=share.due_at, ack_due_at=share.ack_due_at,
                                  task=share.task), chain=chain, reason=plan.hop.reason or "")
        for index, share in enumerate(plan.decision.assignments)]


class CorrectionHandling:
    """Decides again on corrected dispatches, one at a time (each reads what it changes)."""

    def __init__(self, broker: KafkaBroker, repo: RoutingRepository, clock: Clock) -> None:
        self.broker, self.repo, self.clock = broker, repo, clock

    async def handle(self, event: DispatchCorrected, decide: Decide) -> None:
        """Re-route ``event``'s dispatch when the corrected field changes the decision."""
        if not event.reroutes or event.corrected is None:
            return
        current, history, applied, _ = await self.repo.state(event.dispatch_id)
        if event.event_id in applied:
            return
        if current is None:
            log.warning("corrected dispatch not routed yet: nothing to re-route")
            return
        new = await decide(event.corrected)
        plan = redecide(current, history, new, field=event.field,
                        before=event.model_dump(mode="json")["before"],
                        after=event.model_dump(mode="json")["after"], at=event.occurred_at)
        if plan is None:
            log.info("correction leaves the routing as it was", field=event.field,
                     rule_id=new.rule_id)
            return
        moved = moved_events(plan, history, event, self.clock.now())
        await publish_all(self.broker, [Outgoing(m, topics.DISPATCH_REASSIGNED, event.dispatch_id)
                                        for m in moved])
        await self.repo.record_hop(event.dispatch_id, plan.hop, event.event_id, plan.decision)
        log.warning("dispatch re-routed after a correction", field=event.field,
                    from_unit=plan.previous_lead, to_unit=plan.hop.to_unit,
                    units=[a.unit_code for a in plan.decision.assignments])

