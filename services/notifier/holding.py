"""Folded (held) notifications that survive a failed flush and a restart.

:class:`~services.notifier.coalescing.Coalescer` decides, in memory, what to send now and what to hold.
:class:`HeldNotifications` puts every held item in a :class:`HeldStore` as well (MongoDB:
``repository.NotificationRepository``), reloads them at start-up, and removes an item only after its
delivery returned, i.e. its outcome (delivered, duplicate or failed) is on the notification record.
A flush whose delivery raises puts the batch back, to go with the next flush. A restart between the
delivery and the removal only re-offers an item whose key is claimed: it is not sent twice.

:func:`plan_to_doc` and :func:`plan_from_doc` turn a planned notification into plain JSON data and back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from services.notifier.coalescing import Batch, Coalescer
from services.notifier.directory import Contact
from services.notifier.escalation import PlannedNotification, Signal
from shared.events import EventMeta
from shared.logging import get_logger
from shared.signal_kinds import SIGNAL_TYPES, SignalKind

log = get_logger(__name__)
_SIGNALS: dict[str, type[EventMeta]] = {t.event.__name__: t.event for t in SIGNAL_TYPES}


def plan_to_doc(plan: PlannedNotification) -> dict[str, Any]:
    """``plan`` as JSON-compatible data (contacts and the signal included)."""
    return {
        "key": plan.key, "assignment": plan.assignment, "kind": plan.kind, "level": plan.level,
        "dispatch_id": plan.dispatch_id, "unit_code": plan.unit_code,
        "recipient": plan.recipient.model_dump(mode="json"), "role": plan.role, "copy": plan.copy,
        "channel": plan.channel, "addressees": [c.model_dump(mode="json") for c in plan.addressees],
        "copies": [c.model_dump(mode="json") for c in plan.copies],
        "reminder_letter": plan.reminder_letter, "signal_type": type(plan.signal).__name__,
        "signal": plan.signal.model_dump(mode="json"), "unit_names": dict(plan.unit_names),
    }


def plan_from_doc(doc: dict[str, Any]) -> PlannedNotification:
    """The planned notification :func:`plan_to_doc` wrote (raises on anything else)."""
    signal = cast(Signal, _SIGNALS[doc["signal_type"]].model_validate(doc["signal"]))
    return PlannedNotification(
        key=doc["key"], assignment=doc["assignment"], kind=SignalKind(doc["kind"]), level=doc["level"],
        dispatch_id=doc["dispatch_id"], unit_code=doc["unit_code"],
        recipient=Contact.model_validate(doc["recipient"]), role=doc["role"], copy=doc["copy"],
        channel=doc["channel"], addressees=tuple(Contact.model_validate(c) for c in doc["addressees"]),
        copies=tuple(Contact.model_validate(c) for c in doc["copies"]),
        reminder_letter=doc["reminder_letter"], signal=signal, unit_names=doc["unit_names"])


class HeldStore(Protocol):
    """Where held items are kept between offer and delivery."""

    async def hold(self, item: PlannedNotification) -> None:
        """Keep ``item`` (once per key)."""
        ...

    async def held(self) -> list[PlannedNotification]:
        """Every item kept, oldest first."""
        ...

    async def release(self, keys: Sequence[str]) -> None:
        """Forget the items of ``keys``: their outcome is recorded."""
        ...


@dataclass
class InMemoryHeldStore:
    """A :class:`HeldStore` in a dict (tests; it survives a new Coalescer, as a database would)."""

    items: dict[str, PlannedNotification] = field(default_factory=dict)

    async def hold(self, item: PlannedNotification) -> None:
        """Keep ``item`` once."""
        self.items.setdefault(item.key, item)

    async def held(self) -> list[PlannedNotification]:
        """Everything kept."""
        return list(self.items.values())

    async def release(self, keys: Sequence[str]) -> None:
        """Drop ``keys``."""
        for key in keys:
            self.items.pop(key, None)


class HeldNotifications:
    """A :class:`Coalescer` whose held items are also in a :class:`HeldStore`."""

    def __init__(self, coalescer: Coalescer, store: HeldStore) -> None:
        self.coalescer, self.store = coalescer, store

    async def load(self) -> int:
        """Take back what the store holds (after a restart); they are due at the next flush."""
        items = await self.store.held()
        self.coalescer.restore(items)
        if items:
            log.info("held notifications reloaded", count=len(items))
        return len(items)

    async def offer_all(self, items: Iterable[PlannedNotification]) -> list[Batch]:
        """Offer each item; keep the held ones in the store; return the batches to send now."""
        now: list[Batch] = []
        for item in items:
            batch = self.coalescer.offer(item)
            if batch is None:
                await self.store.hold(item)
            else:
                now.append(batch)
        return now

    async def flush(self, deliver: Callable[[Batch], Awaitable[object]],
                    everything: bool = False) -> int:
        """Deliver the due batches (all held ones when ``everything``); release each after its
        delivery returned. If a delivery raises, it and the rest are held again and it re-raises."""
        batches = self.coalescer.drain() if everything else self.coalescer.due()
        for n, batch in enumerate(batches):
            try:
                await deliver(batch)
            except BaseException:
                for rest in batches[n:]:
                    self.coalescer.restore(rest)
                raise
            await self.store.release([item.key for item in batch])
        return len(batches)
