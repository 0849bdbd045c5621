"""Runs the tracker's overdue check in its own process and prints its timings and peak RSS as JSON.

``python -m bench.overdue_worker MONGODB_URL DB KAFKA CLOCK_ISO MAX_CHECKS MAX_SECONDS``: calls
``DeadlineScanner.check_once`` until it returns 0 (everything due was signalled), or ``MAX_CHECKS``
checks or ``MAX_SECONDS`` have passed.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from datetime import datetime
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from services.tracker.repository import TrackerRepository
from services.tracker.scanner import DeadlineScanner
from shared import topics
from shared.kafka import ensure_topics
from shared.settings import ServiceSettings


class FixedClock:
    """The scanner's clock, stopped at the seeded instant."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


async def main(url: str, db: str, kafka: str, clock: str, max_checks: int, max_s: float
               ) -> dict[str, Any]:
    settings = ServiceSettings(kafka_bootstrap_servers=kafka)
    await ensure_topics(settings, topics.ALL_TOPICS)
    broker = KafkaBroker(kafka, acks="all", enable_idempotence=True)
    await broker.start()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, tz_aware=True,
                                                               socketTimeoutMS=600000)
    scanner = DeadlineScanner(TrackerRepository(mongo[db]), broker,
                              FixedClock(datetime.fromisoformat(clock)), 3600)  # type: ignore[arg-type]
    times, published = [], []
    try:
        started = time.monotonic()
        while len(times) < max_checks and time.monotonic() - started < max_s:
            t = time.monotonic()
            published.append(await scanner.check_once())
            times.append(time.monotonic() - t)
            if published[-1] == 0:
                break
    finally:
        await broker.stop()
        await mongo.close()
    return {"checks": len(times), "published": sum(published), "drained": published[-1] == 0,
            "one_check_s": round(times[0], 2), "check_s": [round(t, 2) for t in times],
            "total_s": round(sum(times), 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


if __name__ == "__main__":
    url, db, kafka, clock, checks, seconds = sys.argv[1:7]
    print(json.dumps(asyncio.run(main(url, db, kafka, clock, int(checks), float(seconds)))))
