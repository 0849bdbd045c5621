"""The router's handling of a package that revokes, replaces or updates an earlier document.

It looks the earlier dispatch(es) up by DocumentId (the repository's index), lets
:func:`services.router.exchange.plan_exchange` decide, and then: records the earlier ones withdrawn,
announces each with ``DispatchWithdrawn`` (keyed by the earlier dispatch: the tracker cancels its
open assignments, the notifier tells its units), and routes the package itself when the plan says so
(replace/update, or the Office's triage for a revoke that found nothing to revoke).
The ADR is docs/decisions/0016-edxml-exchange.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from faststream.kafka import KafkaBroker

from services.router import translate
from services.router.exchange import FiledDocument, holders, link_note, plan_exchange, withdrawn_event
from services.router.model import RoutingDecision
from services.router.repository import RoutingRepository
from services.router.triage import office_triage
from shared import topics
from shared.clock import Clock
from shared.events import DispatchReceived
from shared.logging import get_logger
from shared.organisation import Organisation
from shared.publishing import Outgoing, publish_all

log = get_logger(__name__)
Decide = Callable[[DispatchReceived], Awaitable[RoutingDecision]]
"""Routes a dispatch as usual (its stored body read back, its signature reviewed)."""


class ExchangeHandling:
    """Applies packages acting on earlier documents, one at a time (they read what they change)."""

    def __init__(self, broker: KafkaBroker, repo: RoutingRepository, organisation: Organisation,
                 clock: Clock) -> None:
        self.broker, self.repo, self.org, self.clock = broker, repo, organisation, clock
        self.calendar = organisation.work_calendar()

    async def handle(self, event: DispatchReceived, decide: Decide) -> None:
        """Withdraw what ``event`` revokes or replaces; route it when the plan says so."""
        acted_on = event.exchange.acted_on if event.exchange is not None else []
        plan = plan_exchange(event, await self.repo.filed_documents(acted_on))
        now = self.clock.now()
        outgoing: list[Outgoing] = []
        for earlier in plan.withdraw:
            decision, hops, _, _ = await self.repo.state(earlier.dispatch_id)
            withdrawn = withdrawn_event(earlier, event, holders(decision, hops), now)
            outgoing.append(Outgoing(withdrawn, topics.DISPATCH_WITHDRAWN, earlier.dispatch_id))
        decision = None
        if plan.triage is not None:
            doc = translate.routing_input(event)
            decision = office_triage(doc, self.org, self.calendar, "gói tin thu hồi văn bản",
                                     plan.triage, "theo văn bản thu hồi và văn bản gốc")
        elif plan.route:
            decision = await decide(event)
            if (note := link_note(plan, event)) is not None:
                decision = decision.model_copy(update={"reason": f"{decision.reason} {note}"})
        await self.repo.mark_withdrawn([e.dispatch_id for e in plan.withdraw], event.dispatch_id)
        if decision is not None:
            await self.repo.record_decisions([(decision, event.subject)])
            filed = FiledDocument.of(event)
            if filed is not None and plan.triage is None:  # the replacement is a document of its own
                await self.repo.file_documents([filed])
            outgoing.append(Outgoing(translate.assigned_event(decision, event, now),
                                     topics.DISPATCH_ASSIGNED, event.dispatch_id))
        await publish_all(self.broker, outgoing)
        log.info("exchange package applied", dispatch_id=event.dispatch_id,
                 event_id=event.event_id, business=event.exchange.business if event.exchange else None,
                 withdrawn=[e.dispatch_id for e in plan.withdraw], triage=plan.triage is not None,
                 routed=decision is not None)
