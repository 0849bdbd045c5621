"""The notifier's consumer of deadline extensions (issue 16): each request's and decision's notices,
sent at once (never held for folding), each once per dedup key
(:mod:`services.notifier.extension_notices`).

A recipient the organisation chart cannot name (no deputy in charge of the unit, an unknown unit)
dead-letters the event with the reason; a delivery that fails is given up like any notification
(dead letter and ``NotificationFailed`` on the dispatch's timeline).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.notifier.delivery import DeliveryResult, DeliveryService
from services.notifier.directory import RecipientDirectory, UnknownRecipientError
from services.notifier.extension_notices import ExtensionEvent, outgoings
from services.notifier.failures import NOTIFICATIONS
from services.notifier.settings import NotifierSettings
from shared import topics
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from shared.kafka import dead_letter, publish_dead_letter, subscribe_events
from shared.logging import get_logger

log = get_logger(__name__)


class ExtensionNotices:
    """Sends the notices of requests for a later deadline and of their decisions."""

    def __init__(self, directory: RecipientDirectory, delivery: DeliveryService,
                 broker: KafkaBroker, tracker_url: str,
                 dead_letters: Callable[[str, str, str], Awaitable[None]] | None = None) -> None:
        self.directory, self.delivery, self.broker = directory, delivery, broker
        self.tracker_url = tracker_url
        self._dead_letters = dead_letters or self._publish_dead_letter

    async def on_events(self, events: Sequence[ExtensionEvent]) -> list[DeliveryResult]:
        """Deliver each event's notices (a redelivered event finds its keys taken)."""
        results: list[DeliveryResult] = []
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                try:
                    planned = outgoings(event, self.directory, self.tracker_url)
                except UnknownRecipientError as exc:
                    await self._dead_letters(event.dispatch_id, f"no recipient: {exc}",
                                             event.model_dump_json())
                    continue
                for outgoing in planned:
                    results.append(await self.delivery.send(outgoing))
                log.info("extension notices handled", kind=event.event_type,
                         request_id=event.request_id, messages=len(planned))
        return results

    async def _publish_dead_letter(self, dispatch_id: str, reason: str, payload: str) -> None:
        await publish_dead_letter(self.broker, dead_letter("notifier", NOTIFICATIONS, reason,
                                                           dispatch_id, payload))


def register_extensions(broker: KafkaBroker, settings: NotifierSettings,
                        notices: ExtensionNotices) -> None:
    """Subscribe the notifier to requests for a later deadline and their decisions."""
    for topic, model in ((topics.EXTENSION_REQUESTED, ExtensionRequested),
                         (topics.EXTENSION_DECIDED, ExtensionDecided)):
        subscribe_events(broker, service="notifier", topic=topic, model=model,
                         group_id="vanthu-notifier", handle=notices.on_events,  # type: ignore[arg-type]
                         max_attempts=settings.handler_max_attempts)
