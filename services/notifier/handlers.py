"""Notifier handlers: turn tracker signals and disputes into messages, each sent once."""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.notifier.delivery import DeliveryService
from services.notifier.directory import RecipientDirectory, UnknownRecipientError
from services.notifier.escalation import Signal, plan_notifications
from services.notifier.failures import (
    NOTIFICATIONS,
    DeadLetterNotice,
    failure_events,
    notice_letter,
)
from services.notifier.holding import HeldNotifications
from services.notifier.policy import EscalationPolicy
from services.notifier.settings import NotifierSettings
from shared import topics
from shared.clock import Clock, SystemClock
from shared.events import DeadLetter, NotificationFailed
from shared.kafka import (
    dead_letter,
    declare_publications,
    publish_dead_letter,
    subscribe_events,
)
from shared.logging import get_logger
from shared.signal_kinds import SIGNAL_TYPES

log = get_logger(__name__)


class NotifierHandlers:
    """Plans, folds and delivers notifications for each signal."""

    def __init__(self, policy: EscalationPolicy, directory: RecipientDirectory,
                 held: HeldNotifications, delivery: DeliveryService, broker: KafkaBroker,
                 clock: Clock | None = None) -> None:
        self.policy, self.directory, self.held = policy, directory, held
        self.delivery, self.broker = delivery, broker
        self.clock = clock or SystemClock()

    async def on_signals(self, events: list[Signal]) -> None:
        """Deliver what each signal calls for (folded per recipient within the window)."""
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                try:
                    plans = plan_notifications(event, self.policy, self.directory)
                except UnknownRecipientError as exc:
                    await self._dead_letter(event.dispatch_id, f"no recipient: {exc}",
                                            event.model_dump_json())
                    continue
                for batch in await self.held.offer_all(plans):
                    await self.delivery.notify(batch)
                log.info("signal handled", kind=type(event).__name__, recipients=len(plans))

    async def flush(self, everything: bool = False) -> int:
        """Send folded batches whose window has ended (all of them when ``everything``)."""
        return await self.held.flush(self.delivery.notify, everything)

    async def dead_letter_notice(self, notice: DeadLetterNotice) -> None:
        """A notification given up: its dead letter, and a NotificationFailed per key (for the
        dispatch's timeline and the dashboard)."""
        await publish_dead_letter(self.broker, notice_letter(notice))
        for event in failure_events(notice, self.clock.now()):
            await self.broker.publish(event, topic=topics.NOTIFICATION_FAILED,
                                      key=(event.dispatch_id or "digest").encode())

    async def _dead_letter(self, dispatch_id: str, reason: str, payload: str) -> None:
        await publish_dead_letter(self.broker, dead_letter("notifier", NOTIFICATIONS, reason,
                                                           dispatch_id, payload))


def register(broker: KafkaBroker, settings: NotifierSettings, handlers: NotifierHandlers) -> None:
    """Subscribe the notifier to the tracker's signals and the router's disputes."""
    declare_publications(broker, "notifier", {topics.DEAD_LETTER: DeadLetter,
                                              topics.NOTIFICATION_FAILED: NotificationFailed})
    for signal in SIGNAL_TYPES:
        subscribe_events(broker, service="notifier", topic=signal.topic, model=signal.event,
                         group_id="vanthu-notifier", handle=handlers.on_signals,  # type: ignore[arg-type]
                         max_attempts=settings.handler_max_attempts)
