"""Tracker handlers: record received dispatches and their assignments, in batches."""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.tracker.repository import TrackerRepository, WriteBatch
from shared import topics
from shared.events import DispatchAssigned, DispatchReceived
from shared.kafka import subscribe_events
from shared.logging import get_logger
from shared.settings import TrackerSettings

log = get_logger(__name__)


def register(broker: KafkaBroker, settings: TrackerSettings, repo: TrackerRepository) -> None:
    """Subscribe the tracker to received and assigned dispatches."""

    async def on_received(events: list[DispatchReceived]) -> None:
        batch = WriteBatch()
        for event in events:
            repo.add_received(batch, event)
        duplicates = await repo.apply(batch)
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                log.info("dispatch recorded")
        if duplicates:
            log.info("redelivered events ignored", count=duplicates)

    async def on_assigned(events: list[DispatchAssigned]) -> None:
        batch = WriteBatch()
        for event in events:
            repo.add_assigned(batch, event)
        duplicates = await repo.apply(batch)
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                log.info("assignments recorded", units=[a.unit_code for a in event.assignments])
        if duplicates:
            log.info("redelivered events ignored", count=duplicates)

    common = {"service": "tracker", "group_id": "vanthu-tracker",
              "max_attempts": settings.handler_max_attempts}
    subscribe_events(broker, topic=topics.DISPATCH_RECEIVED, model=DispatchReceived,
                     handle=on_received, **common)  # type: ignore[arg-type]
    subscribe_events(broker, topic=topics.DISPATCH_ASSIGNED, model=DispatchAssigned,
                     handle=on_assigned, **common)  # type: ignore[arg-type]
