"""Per-recipient rate limiting (gộp thông báo): at most one message per recipient and channel per
window; whatever arrives in between is held and folded into one combined message when the window
ends. Pure: the time comes from an injected :class:`~shared.clock.Clock`, nothing sleeps.

State is in memory; :class:`~services.notifier.holding.HeldNotifications` keeps the held items in
MongoDB too, so that a failed flush or a restart loses none of them (see ADR 0007).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from services.notifier.escalation import PlannedNotification
from shared.clock import Clock

Batch = list[PlannedNotification]
"""Planned notifications for one recipient and channel, to render as one message."""


class Coalescer:
    """Rate-limits each recipient and channel: releases the first notification at once, then holds
    the rest of the window and coalesces them into one batch when it ends."""

    def __init__(self, window: timedelta, clock: Clock) -> None:
        if window < timedelta(0):
            raise ValueError("window must not be negative")
        self.window = window
        self._clock = clock
        self._released_at: dict[tuple[str, str], datetime] = {}
        self._held: dict[tuple[str, str], dict[str, PlannedNotification]] = {}

    @staticmethod
    def _slot(item: PlannedNotification) -> tuple[str, str]:
        return item.recipient.id, item.channel

    def offer(self, item: PlannedNotification) -> Batch | None:
        """Return ``[item]`` to send now, or None when it is held for the recipient's next message."""
        slot, now = self._slot(item), self._clock.now()
        last = self._released_at.get(slot)
        if slot not in self._held and (last is None or now - last >= self.window):
            self._released_at[slot] = now
            return [item]
        self._held.setdefault(slot, {}).setdefault(item.key, item)  # a repeat of a held key: once
        return None

    def offer_all(self, items: Iterable[PlannedNotification]) -> list[Batch]:
        """Offer each item; return the batches to send now."""
        return [batch for item in items if (batch := self.offer(item)) is not None]

    def due(self) -> list[Batch]:
        """Held batches whose window has ended; each is released (and starts a new window)."""
        now, ready = self._clock.now(), []
        for slot in list(self._held):
            if now - self._released_at.get(slot, now - self.window) >= self.window:
                ready.append(list(self._held.pop(slot).values()))
                self._released_at[slot] = now
        for slot, at in list(self._released_at.items()):  # forget recipients quiet for a window
            if slot not in self._held and now - at >= self.window:
                del self._released_at[slot]
        return ready

    def next_due_at(self) -> datetime | None:
        """When :meth:`due` will next have something to release (None: nothing held)."""
        times = [self._released_at[slot] + self.window for slot in self._held if slot in self._released_at]
        return min(times) if times else None

    def restore(self, items: Iterable[PlannedNotification]) -> None:
        """Hold ``items`` again (a flush that failed, or a restart): due at the next :meth:`due`."""
        for item in items:
            slot = self._slot(item)
            self._held.setdefault(slot, {}).setdefault(item.key, item)
            self._released_at.pop(slot, None)

    def drain(self) -> list[Batch]:
        """Release everything held, whatever the window (on shutdown)."""
        batches = [list(items.values()) for items in self._held.values()]
        self._held.clear()
        return batches
