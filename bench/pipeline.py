"""End-to-end: dispatches posted to ingest over HTTP until the tracker has stored their assignments.

All four services run as processes on a local Kafka and FerretDB. The load is open-loop and steps
up (10 s per step); a step is sustainable when the backlog (accepted − tracked) grows by less than
``max(15, 15 %)`` of what the step sent and ingest kept up with the offered rate. The highest such
rate is then held for 60 s to confirm that the backlog stays bounded (lowered by 25 % and held
again, up to three times, if not),
and latencies are measured at 50 % and 90 % of the confirmed rate (see bench/latency.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from bench.latency import LatencyProbe
from bench.load import API_KEY, LoadResult, Sent, open_loop
from tools.stack_harness import Credentials, Stack

Progress = Callable[[str], None]
RATES = (4, 8, 12, 16, 20, 24, 28, 32, 40, 50, 60, 80, 100)
ABORT_BACKLOG = 60
"""A phase stops early past this backlog: the tracker's Kafka batches must stay under 100 events,
since FerretDB 1.24 deadlocks on one bulk update of 100 existing documents (see ADR 0009)."""
STEP_S, SUSTAIN_S, LATENCY_S = 10.0, 60.0, 25.0
DB = "bench"


@contextmanager
def running_stack(tmp: Path) -> Iterator[Stack]:
    """Start Kafka, FerretDB and the four services; stop everything afterwards."""
    with Stack(tmp, credentials=Credentials(api_keys={"bench": API_KEY}), database=DB,
               env={"LOG_LEVEL": "WARNING"}) as stack:
        yield stack


class EndToEnd:
    """Drives load and watches the backlog of one running stack."""

    def __init__(self, stack: Stack, progress: Progress) -> None:
        self.stack, self.progress = stack, progress
        self.url = f"{stack.fleet.url('ingest')}/dispatches"
        self.mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            stack.endpoints.mongodb_url, tz_aware=True, socketTimeoutMS=60000)
        self.accepted = 0
        self.unit = "VP"

    async def tracked(self) -> int:
        return await self.mongo[DB]["assignments"].estimated_document_count()

    async def backlog(self) -> int:
        return self.accepted - await self.tracked()

    async def load(self, rate: float, seconds: float, probe: LatencyProbe | None = None
                   ) -> LoadResult:
        """Offer ``rate``/s for ``seconds``; stop early once the backlog passes ABORT_BACKLOG."""
        stop = asyncio.Event()

        def on_sent(sent: Sent) -> None:
            self.accepted += sent.status == 202
            if probe is not None:
                probe.on_sent(sent)

        task = asyncio.create_task(open_loop(self.url, rate, seconds, on_sent=on_sent, stop=stop))
        while not task.done():
            await asyncio.wait({task}, timeout=1.0)
            if not stop.is_set() and await self.backlog() > ABORT_BACKLOG:
                self.progress(f"  backlog over {ABORT_BACKLOG}: phase stopped early")
                stop.set()
        result = await task
        result.aborted = stop.is_set()
        return result

    async def drain(self, limit_s: float = 120.0) -> float:
        """Wait until everything accepted is tracked; return how long it took."""
        started = time.monotonic()
        while await self.backlog() > 0:
            if time.monotonic() - started > limit_s:
                raise TimeoutError(f"backlog {await self.backlog()} not drained in {limit_s:.0f}s")
            await asyncio.sleep(0.5)
        return round(time.monotonic() - started, 1)

    async def lags(self) -> dict[str, int | None]:
        """Consumer lag per stage, from the services' /ready (the watchdog's report)."""
        out: dict[str, int | None] = {}
        async with httpx.AsyncClient(timeout=10) as client:
            for service in ("router", "tracker", "notifier"):
                body = (await client.get(f"{self.stack.fleet.url(service)}/ready")).json()
                for name, consumer in body.get("consumers", {}).items():
                    out[f"{service}:{name.split(':', 1)[1]}"] = consumer["lag"]
        return out

    async def warm_up(self) -> None:
        """A few dispatches through every stage; learns which unit generic dispatches go to."""
        result = await self.load(5, 4)
        await self.drain()
        first = result.accepted[0].dispatch_id
        doc = await self.mongo[DB]["assignments"].find_one({"dispatch_id": first})
        self.unit = doc["unit_code"] if doc else self.unit

    async def step(self, rate: float, seconds: float) -> dict[str, Any]:
        before = await self.backlog()
        result = await self.load(rate, seconds)
        after = await self.backlog()
        sent = len(result.sent)
        kept_up = sent / result.seconds >= 0.9 * rate and len(result.accepted) == sent
        ok = kept_up and not result.aborted and after - before <= max(15, 0.15 * sent)
        self.progress(f"  {rate:>5.0f}/s offered: {len(result.accepted)} accepted, backlog "
                      f"{before} → {after}{'' if ok else '  (not sustainable)'}")
        return {"offered_per_s": rate, "accepted": len(result.accepted), "backlog_before": before,
                "backlog_after": after, "sustainable": ok}

    async def latency(self, rate: float) -> dict[str, Any]:
        await self.drain()
        probe, stop = LatencyProbe(self.stack.endpoints.mongodb_url, DB, self.unit), asyncio.Event()
        polling = asyncio.create_task(probe.run(stop))
        result = await self.load(rate, LATENCY_S, probe)
        stop.set()
        await polling
        return {"offered_per_s": round(rate, 1), "stopped_early": result.aborted,
                "assignments_stored": await self.tracked(), **probe.summary()}

    async def run(self) -> dict[str, Any]:
        await self.warm_up()
        self.progress("step-up load (10 s per step):")
        steps, lags, rate = [], {}, float(RATES[0])
        for offered in RATES:
            steps.append(await self.step(offered, STEP_S))
            if not steps[-1]["sustainable"]:
                lags = await self.lags()
                self.progress(f"  lag when saturated: {lags}")
                break
            rate = offered
        sustained: dict[str, Any] = {}
        for attempt in range(4):
            self.progress(f"draining, then {SUSTAIN_S:.0f} s at {rate:.0f}/s")
            await self.drain(300)
            before, tracked_before, started = await self.backlog(), await self.tracked(), \
                time.monotonic()
            result = await self.load(rate, SUSTAIN_S)
            after, elapsed = await self.backlog(), time.monotonic() - started
            tracked = await self.tracked() - tracked_before
            bounded = not result.aborted and after - before <= max(15, 0.15 * rate * SUSTAIN_S)
            sustained = {"offered_per_s": rate, "seconds": round(elapsed, 1), "bounded": bounded,
                         "assignments_stored_before": tracked_before,
                         "backlog_before": before, "backlog_after": after,
                         "tracked_per_s": round(tracked / elapsed, 1), "attempt": attempt + 1}
            self.progress(f"  backlog {before} → {after}, tracked {tracked / elapsed:.1f}/s")
            if bounded:
                break
            rate = round(rate * 0.75, 1)
        latency = {}
        for share in (50, 90):
            self.progress(f"latency at {share}% of {rate:.0f}/s for {LATENCY_S:.0f} s")
            latency[share] = await self.latency(rate * share / 100)
            self.progress(f"  {latency[share]}")
        await self.drain(300)
        saturated = max(lags, key=lambda k: lags[k] or 0) if lags else None
        return {"rate_per_s": rate if sustained.get("bounded") else None, "unit": self.unit,
                "accepted_total": self.accepted,
                "steps": steps, "sustained": sustained, "lag_at_saturation": lags,
                "slowest_consumer": saturated, "saturation_rate_per_s": steps[-1]["offered_per_s"],
                "latency": {f"at_{k}pct": v for k, v in latency.items()},
                "latency_ms": {"p50_at_50pct": latency[50]["tracked_ms"]["p50"],
                               "p99_at_50pct": latency[50]["tracked_ms"]["p99"],
                               "p99_at_90pct": latency[90]["tracked_ms"]["p99"]}}

    async def close(self) -> None:
        await self.mongo.close()


async def measure_e2e(stack: Stack, progress: Progress) -> dict[str, Any]:
    """Run the whole end-to-end measurement on ``stack``."""
    e2e = EndToEnd(stack, progress)
    try:
        return await e2e.run()
    finally:
        await e2e.close()
