"""Notifier handlers: turn overdue signals into notifications, each sent once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.notifier.escalation import notifications_for
from services.notifier.repository import NotificationRepository
from shared import topics
from shared.events import AssignmentOverdue
from shared.kafka import subscribe_events
from shared.logging import get_logger
from shared.settings import NotifierSettings

log = get_logger(__name__)


def register(broker: KafkaBroker, settings: NotifierSettings, repo: NotificationRepository) -> None:
    """Subscribe the notifier to overdue signals."""

    async def on_overdue(events: list[AssignmentOverdue]) -> None:
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                for note in notifications_for(event):
                    fresh = await repo.record_once(
                        note, dispatch_id=event.dispatch_id, event_id=event.event_id,
                        level=event.level, sent_at=datetime.now(UTC),
                    )
                    if fresh:  # the log channel: the message itself is the delivery
                        log.warning("notification", channel=note.channel,
                                    recipient=note.recipient, message=note.text)
                    else:
                        log.info("duplicate signal, already notified", recipient=note.recipient)

    subscribe_events(
        broker, service="notifier", topic=topics.ASSIGNMENT_OVERDUE, model=AssignmentOverdue,
        group_id="vanthu-notifier", handle=on_overdue, max_attempts=settings.handler_max_attempts,
    )


def history_router(repo: NotificationRepository) -> APIRouter:
    """Routes that read the notification history."""
    router = APIRouter(tags=["notifications"])

    @router.get("/notifications")
    async def notifications(dispatch_id: str | None = None) -> Any:
        return jsonable_encoder(await repo.history(dispatch_id))

    return router
