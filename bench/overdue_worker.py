"""Runs the tracker's overdue detector in its own process and prints its timings and peak RSS as JSON.

``python -m bench.overdue_worker MONGODB_URL DB KAFKA CLOCK_ISO MAX_SECONDS``: a fresh
``DeadlineDetector`` (owning every partition) loads its timers from the database, as a tracker does at
start, then calls ``check_once`` until nothing is due at ``CLOCK_ISO`` or ``MAX_SECONDS`` have passed.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from services.tracker.deadline_detector import BATCH_LIMIT, DeadlineDetector
from services.tracker.repository import TrackerRepository
from shared import topics
from shared.clock import FixedClock
from shared.kafka import ensure_topics
from shared.settings import ServiceSettings


def _rss_mb() -> float:
    """This process's peak RSS (``VmHWM``). Not ``getrusage``: Linux carries ``ru_maxrss`` across
    ``execve``, so a worker started by a large parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def main(url: str, db: str, kafka: str, clock: str, max_s: float) -> dict[str, Any]:
    settings = ServiceSettings(kafka_bootstrap_servers=kafka)
    await ensure_topics(settings, topics.ALL_TOPICS)
    broker = KafkaBroker(kafka, acks="all", enable_idempotence=True)
    await broker.start()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, tz_aware=True,
                                                               socketTimeoutMS=600000)
    now = datetime.fromisoformat(clock)
    detector = DeadlineDetector(TrackerRepository(mongo[db]), broker, FixedClock(now), 3600)
    times: list[float] = []
    published = 0
    try:
        started = time.monotonic()
        await detector.sync_ownership()
        load_s, timers, rss_loaded = time.monotonic() - started, len(detector.timers), _rss_mb()
        started = time.monotonic()
        while time.monotonic() - started < max_s:
            soonest = detector.timers.next_at()
            if soonest is None or soonest > now.timestamp():
                break
            t = time.monotonic()
            published += await detector.check_once()
            times.append(time.monotonic() - t)
        soonest = detector.timers.next_at()
    finally:
        await broker.stop()
        await mongo.close()
    return {"load_s": round(load_s, 2), "timers_loaded": timers, "peak_rss_mb_loaded": rss_loaded,
            "checks": len(times), "batch_limit": BATCH_LIMIT, "published": published,
            "drained": soonest is None or soonest > now.timestamp(),
            "one_check_s": round(times[0], 3) if times else None,
            "check_s_max": round(max(times), 3) if times else None,
            "total_s": round(sum(times), 2),
            "signals_per_s": round(published / sum(times), 1) if times and sum(times) else None,
            "peak_rss_mb": _rss_mb()}


if __name__ == "__main__":
    url, db, kafka, clock, seconds = sys.argv[1:6]
    print(json.dumps(asyncio.run(main(url, db, kafka, clock, float(seconds)))))
