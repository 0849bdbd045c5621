"""The notifier's consumer of events whose notices go out at once (issue 16): blockers and their
directions, requests for a later deadline and their decisions.

Each event's notices are planned by a pure module (:mod:`services.notifier.blocker_notices`,
:mod:`services.notifier.extension_notices`) and sent at once (never held for folding), each once per
dedup key, so a redelivered event finds its keys taken. A recipient the organisation chart cannot
name (no deputy in charge of the unit, an unknown unit) dead-letters the event with the reason; a
delivery that fails is given up like any notification (dead letter and ``NotificationFailed`` on
the dispatch's timeline).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from structlog.contextvars import bound_contextvars

from services.notifier.channels.base import Outgoing
from services.notifier.delivery import DeliveryResult, DeliveryService
from services.notifier.directory import RecipientDirectory, UnknownRecipientError
from services.notifier.failures import NOTIFICATIONS
from services.notifier.settings import NotifierSettings
from shared.kafka import dead_letter, publish_dead_letter, subscribe_events
from shared.logging import get_logger

log = get_logger(__name__)
Plan = Callable[[Any, RecipientDirectory, str], list[Outgoing]]
"""A pure planner: (event, directory, tracker URL) → the messages to send, each with its key."""


class ImmediateNotices:
    """Sends the notices a subclass's :attr:`plan` gives for each event, at once."""

    kind: ClassVar[str]
    """What the notices are about, for the logs ("blocker", "extension")."""
    consumed: ClassVar[tuple[tuple[str, type[BaseModel]], ...]]
    """The topics consumed, each with its event model."""

    def __init__(self, directory: RecipientDirectory, delivery: DeliveryService,
                 broker: KafkaBroker, tracker_url: str,
                 dead_letters: Callable[[str, str, str], Awaitable[None]] | None = None) -> None:
        self.directory, self.delivery, self.broker = directory, delivery, broker
        self.tracker_url = tracker_url
        self._dead_letters = dead_letters or self._publish_dead_letter

    @staticmethod
    def plan(event: Any, directory: RecipientDirectory, tracker_url: str) -> list[Outgoing]:
        """The messages for ``event`` (a subclass names its pure planner)."""
        raise NotImplementedError

    async def on_events(self, events: Sequence[Any]) -> list[DeliveryResult]:
        """Deliver each event's notices (a redelivered event finds its keys taken)."""
        results: list[DeliveryResult] = []
        for event in events:
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                try:
                    planned = self.plan(event, self.directory, self.tracker_url)
                except UnknownRecipientError as exc:
                    await self._dead_letters(event.dispatch_id, f"no recipient: {exc}",
                                             event.model_dump_json())
                    continue
                for outgoing in planned:
                    results.append(await self.delivery.send(outgoing))
                log.info(f"{self.kind} notices handled", kind=event.event_type,
                         messages=len(planned))
        return results

    async def _publish_dead_letter(self, dispatch_id: str, reason: str, payload: str) -> None:
        await publish_dead_letter(self.broker, dead_letter("notifier", NOTIFICATIONS, reason,
                                                           dispatch_id, payload))


def register_immediate(broker: KafkaBroker, settings: NotifierSettings,
                       notices: ImmediateNotices) -> None:
    """Subscribe ``notices`` to its topics, in the notifier's consumer group."""
    for topic, model in notices.consumed:
        subscribe_events(broker, service="notifier", topic=topic, model=model,
                         group_id="vanthu-notifier", handle=notices.on_events,  # type: ignore[arg-type]
                         max_attempts=settings.handler_max_attempts)
