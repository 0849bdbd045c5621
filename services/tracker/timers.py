"""In-memory deadline timers: which assignment to look at, and when. Pure: no I/O, no clock.

FerretDB v1 answers only ``_id`` equality from an index (with our patch, see
``tools.infra.ferretdb``); a query on ``next_check_at`` scans every stored check. So the tracker
keeps its timers in memory, one per open assignment (hạn xử lý, the deadline, and the signals around
it), in a heap ordered by the next instant something may be due. Finding what is due costs
O(k log n) for k due items: the stored ones that are not due are never touched.

A timer is a *hint*: when it pops, the detector reads the assignment's current state by ``_id`` and
decides from that. An early or duplicate hint costs one look; only a missing hint could lose a
signal, so the timers are (re)loaded from the database for every partition a replica takes over,
and the event consumer adds one for every assignment it creates or reopens.

Timers are grouped by Kafka partition of the dispatch id (the key of every tracker topic), so two
replicas split them the way Kafka splits the partitions.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field


@dataclass
class DeadlineTimers:
    """Timers keyed by assignment id: ``{id: (when, key_hash)}`` plus a lazily-cleaned heap.

    ``when`` is a POSIX timestamp; ``key_hash`` is the murmur2 hash of the dispatch id, so
    ``key_hash % partitions`` is the Kafka partition the dispatch's events travel on.
    """

    _due: dict[str, tuple[float, int]] = field(default_factory=dict)
    _heap: list[tuple[float, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self._due)

    def push(self, assignment_id: str, when: float, key_hash: int) -> None:
        """Look at ``assignment_id`` at ``when`` (or earlier, if a timer for it is already sooner)."""
        current = self._due.get(assignment_id)
        if current is not None and current[0] <= when:
            return
        self._due[assignment_id] = (when, key_hash)
        heapq.heappush(self._heap, (when, assignment_id))

    def push_many(self, timers: list[tuple[str, float, int]]) -> None:
        """:meth:`push` each (id, when, key_hash); one heapify when that is cheaper (a load)."""
        due, added = self._due, []
        for assignment_id, when, key_hash in timers:
            current = due.get(assignment_id)
            if current is not None and current[0] <= when:
                continue
            due[assignment_id] = (when, key_hash)
            added.append((when, assignment_id))
        if len(added) > len(self._heap):
            self._heap.extend(added)
            heapq.heapify(self._heap)
        else:
            for entry in added:
                heapq.heappush(self._heap, entry)

    def pop_due(self, now: float, limit: int) -> list[tuple[str, float, int]]:
        """Remove and return up to ``limit`` timers due at ``now``, soonest first, as
        (id, when, key_hash)."""
        popped: list[tuple[str, float, int]] = []
        while self._heap and len(popped) < limit and self._heap[0][0] <= now:
            when, assignment_id = heapq.heappop(self._heap)
            current = self._due.get(assignment_id)
            if current is None or current[0] != when:
                continue  # superseded by a sooner push, or already popped
            del self._due[assignment_id]
            popped.append((assignment_id, when, current[1]))
        return popped

    def next_at(self) -> float | None:
        """When the soonest timer is due, or None."""
        while self._heap:
            when, assignment_id = self._heap[0]
            current = self._due.get(assignment_id)
            if current is not None and current[0] == when:
                return when
            heapq.heappop(self._heap)
        return None

    def drop_partitions(self, partitions: set[int], partition_count: int) -> int:
        """Forget the timers of ``partitions`` (another replica took them); return how many."""
        gone = [i for i, (_, h) in self._due.items() if h % partition_count in partitions]
        for assignment_id in gone:
            del self._due[assignment_id]
        if gone:
            self._heap = [(w, i) for w, i in self._heap if i in self._due]
            heapq.heapify(self._heap)
        return len(gone)


@dataclass(frozen=True)
class Ownership:
    """The partitions of the dispatch topics this replica consumes, out of ``partition_count``."""

    partition_count: int
    partitions: frozenset[int]

    def owns(self, key_hash: int) -> bool:
        """Whether the dispatch with this key hash is on one of our partitions."""
        return key_hash % self.partition_count in self.partitions

    def changes(self, before: Ownership | None) -> tuple[set[int], set[int]]:
        """(partitions gained, partitions lost) since ``before``; all are new if the count changed."""
        if before is None or before.partition_count != self.partition_count:
            return set(self.partitions), set()
        return set(self.partitions - before.partitions), set(before.partitions - self.partitions)


EVERYTHING = Ownership(1, frozenset({0}))
"""One replica owning every partition (tests, the bench, a single-process tool)."""

