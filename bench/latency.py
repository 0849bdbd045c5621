"""Following accepted dispatches to their tracked assignment, to time ingest → assigned → tracked.

What is measured, per sampled dispatch (``t0`` = the wall-clock instant the HTTP POST was sent):
- ``assigned``: the assignment's ``assigned_at`` (the router's clock when it published the decision,
  same machine) minus ``t0``;
- ``tracked``: the instant the probe first finds the assignment document in MongoDB minus ``t0``.
  The probe looks every ``interval_s`` with one ``find_one`` by ``_id`` per pending dispatch (an
  ``_id`` lookup is the only filter FerretDB v1 pushes down to SQLite), so this figure is late by at
  most ``interval_s`` plus one query.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient

from bench.load import Sent
from shared.assignments import assignment_id


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50, p95 and p99 of ``values`` (seconds), in milliseconds."""
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


@dataclass
class LatencyProbe:
    """Samples every ``every``-th accepted dispatch and waits for its assignment (unit ``unit``)."""

    mongodb_url: str
    database: str
    unit: str
    every: int = 2
    interval_s: float = 0.2
    pending: dict[str, float] = field(default_factory=dict)
    assigned: list[float] = field(default_factory=list)
    tracked: list[float] = field(default_factory=list)
    _seen: int = 0

    def on_sent(self, sent: Sent) -> None:
        """Hook for :func:`bench.load.open_loop`."""
        if sent.status == 202 and sent.dispatch_id:
            self._seen += 1
            if self._seen % self.every == 0:
                self.pending[sent.dispatch_id] = sent.at

    async def run(self, stop: asyncio.Event, timeout_s: float = 120.0) -> None:
        """Poll until ``stop`` is set and nothing is pending (or ``timeout_s`` after ``stop``)."""
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            self.mongodb_url, tz_aware=True, socketTimeoutMS=30000)
        assignments = client[self.database]["assignments"]
        gate = asyncio.Semaphore(16)
        deadline: float | None = None

        async def look(dispatch_id: str, sent_at: float) -> None:
            async with gate:
                doc = await assignments.find_one({"_id": assignment_id(dispatch_id, self.unit)},
                                                 {"assigned_at": 1})
            if doc is not None and dispatch_id in self.pending:
                del self.pending[dispatch_id]
                self.tracked.append(time.time() - sent_at)
                self.assigned.append(doc["assigned_at"].timestamp() - sent_at)

        try:
            while self.pending or not stop.is_set():
                if stop.is_set():
                    deadline = deadline or time.monotonic() + timeout_s
                    if time.monotonic() > deadline:
                        break
                await asyncio.gather(*(look(d, t) for d, t in list(self.pending.items())))
                await asyncio.sleep(self.interval_s)
        finally:
            await client.close()

    def summary(self) -> dict[str, Any]:
        """Percentiles of both latencies, and how many samples were lost (never tracked)."""
        return {"samples": len(self.tracked), "never_tracked": len(self.pending),
                "tracked_ms": percentiles(self.tracked),
                "assigned_ms": percentiles(self.assigned)}
