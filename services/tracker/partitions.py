"""Which ``dispatch.assigned`` partitions this replica consumes: the deadline timers follow them."""

from __future__ import annotations

from typing import Any

from services.tracker.timers import Ownership
from shared import topics
from shared.kafka import assigned_partitions


class AssignedPartitions:
    """The replica's share of ``dispatch.assigned``, read from its subscriber.

    Called by the deadline detector; ``None`` until the subscriber is set and its consumer has
    joined the group.
    """

    def __init__(self) -> None:
        self.subscriber: Any = None

    def __call__(self) -> Ownership | None:
        if self.subscriber is None:
            return None
        owned = assigned_partitions(self.subscriber, topics.DISPATCH_ASSIGNED)
        return Ownership(owned[0], owned[1]) if owned else None
