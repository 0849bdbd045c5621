"""Router handlers: consume ``DispatchReceived``, publish ``DispatchAssigned``."""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.router.routing import decide
from shared import topics
from shared.clock import Clock
from shared.events import DispatchReceived
from shared.kafka import subscribe_events
from shared.logging import get_logger
from shared.settings import RouterSettings

log = get_logger(__name__)


def register(broker: KafkaBroker, settings: RouterSettings, clock: Clock) -> None:
    """Subscribe the router to received dispatches."""
    publisher = broker.publisher(topics.DISPATCH_ASSIGNED, title="router:assigned")

    async def route(dispatches: list[DispatchReceived]) -> None:
        for dispatch in dispatches:
            with bound_contextvars(dispatch_id=dispatch.dispatch_id, event_id=dispatch.event_id):
                decision = decide(
                    dispatch,
                    default_unit=settings.router_default_unit,
                    handling_days=settings.router_default_handling_days,
                    now=clock.now(),
                )
                await publisher.publish(decision, key=dispatch.dispatch_id.encode())
                log.info("dispatch assigned", rule_id=decision.rule_id,
                         units=[a.unit_code for a in decision.assignments])

    subscribe_events(
        broker, service="router", topic=topics.DISPATCH_RECEIVED, model=DispatchReceived,
        group_id="vanthu-router", handle=route, max_attempts=settings.handler_max_attempts,
    )
