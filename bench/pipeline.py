"""End-to-end: dispatches posted to ingest over HTTP until the tracker has stored their assignments."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from shared.infra.paths import free_port
from shared.infra.stack import InfraPorts, LocalInfra
from shared.services import SERVICES, ServiceFleet
from shared.tokens import hash_secret


async def _post_all(url: str, count: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(url, json={"subject": f"V/v thử nghiệm hiệu năng số {i}"},
                                         headers={"X-API-Key": "bench-key"})
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies


def measure_pipeline(count: int = 2000, concurrency: int = 16) -> dict[str, Any]:
    """Post ``count`` dispatches and time until all are tracked; returns rates and latencies."""
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-") as tmp:
        infra = LocalInfra(Path(tmp) / "infra", InfraPorts.free())
        infra.start()
        fleet = ServiceFleet(
            env={"KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap, "MONGODB_URL": infra.mongodb_url,
                 "MONGODB_DATABASE": "bench", "LOG_LEVEL": "WARNING",
                 "INGEST_API_KEYS": f"bench:{hash_secret('bench-key')}"},
            log_dir=Path(tmp) / "logs", ports={s: free_port() for s in SERVICES},
        )
        try:
            fleet.start_all()
            started = time.perf_counter()
            latencies = asyncio.run(_post_all(f"{fleet.url('ingest')}/dispatches", count,
                                              concurrency))
            accepted_s = time.perf_counter() - started
            with MongoClient(infra.mongodb_url) as client:
                assignments = client["bench"]["assignments"]
                while assignments.count_documents({}) < count:
                    if time.perf_counter() - started > 600:
                        raise TimeoutError("dispatches were not all tracked within 600 s")
                    time.sleep(0.2)
            tracked_s = time.perf_counter() - started
        finally:
            fleet.stop_all()
            infra.stop()
    latencies.sort()
    return {
        "dispatches": count,
        "http_concurrency": concurrency,
        "ingest_rate_per_s": round(count / accepted_s, 1),
        "tracked_rate_per_s": round(count / tracked_s, 1),
        "ingest_latency_ms": {
            "p50": round(latencies[len(latencies) // 2] * 1000, 1),
            "p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        },
    }
