"""The deadline timers follow this replica's share of ``dispatch.assigned``."""

from __future__ import annotations

from dataclasses import dataclass

from services.tracker.partitions import AssignedPartitions
from services.tracker.timers import Ownership
from shared import topics


@dataclass(frozen=True)
class TopicPartition:
    topic: str
    partition: int


class Consumer:
    def __init__(self, count: int, mine: list[TopicPartition]) -> None:
        self.count, self.mine = count, mine

    def partitions_for_topic(self, topic: str) -> set[int]:
        return set(range(self.count)) if topic == topics.DISPATCH_ASSIGNED else set()

    def assignment(self) -> set[TopicPartition]:
        return set(self.mine)


class Subscriber:
    def __init__(self, consumer: Consumer | None) -> None:
        self.consumer = consumer


def test_nothing_owned_before_the_subscriber_is_known_or_has_joined() -> None:
    owned = AssignedPartitions()
    assert owned() is None
    owned.subscriber = Subscriber(None)
    assert owned() is None


def test_owns_the_assigned_partitions_of_dispatch_assigned_only() -> None:
    owned = AssignedPartitions()
    owned.subscriber = Subscriber(Consumer(6, [
        TopicPartition(topics.DISPATCH_ASSIGNED, 1), TopicPartition(topics.DISPATCH_ASSIGNED, 4),
        TopicPartition(topics.DISPATCH_RECEIVED, 2)]))
    assert owned() == Ownership(6, frozenset({1, 4}))
