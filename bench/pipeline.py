"""End-to-end: dispatches posted to ingest over HTTP until the tracker has stored their assignments.

All four services run as processes on a local Kafka and FerretDB. The load is open-loop, driven
through ``POST /dispatches/batch`` (50–100 documents per request, bench/load.py) and stepped up
through :data:`bench.steps.BATCH_RATES` (to 6,000/s); the step rules are in bench/steps.py. The
highest sustainable rate is then held (60 s) to confirm that the backlog stays bounded (lowered by
25 % and held again, up to four tries, if not); the CPU every process spends over that hold,
divided by the dispatches tracked, is its cost per dispatch (bench/cpu.py). Latencies per dispatch
at 50 % and 90 % of the held rate come from Kafka (bench/tracing.py). A short series of single
``POST /dispatches`` steps is reported apart (``single``).
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

from bench import steps
from bench.cpu import CpuMeter, per_dispatch
from bench.load import API_KEY, LoadResult, Sent, batch_open_loop, open_loop
from bench.steps import FULL, Durations
from bench.tracing import Tracer, TrackedCount
from tools.stack_harness import Credentials, Stack

Progress = Callable[[str], None]
DB = "bench"
PROCESSES = ("ingest", "router", "tracker", "notifier", "kafka", "ferretdb")


@contextmanager
def running_stack(tmp: Path, log_dir: Path | None = None) -> Iterator[Stack]:
    """Start Kafka, FerretDB and the four services (their logs in ``log_dir``, else in ``tmp``);
    stop everything afterwards."""
    with Stack(tmp, credentials=Credentials(api_keys={"bench": API_KEY}), database=DB,
               env={"LOG_LEVEL": "WARNING"}, log_dir=log_dir) as stack:
        yield stack


class EndToEnd:
    """Drives load and watches the backlog of one running stack."""

    def __init__(self, stack: Stack, progress: Progress, durations: Durations = FULL) -> None:
        self.stack, self.progress, self.d = stack, progress, durations
        self.url = f"{stack.fleet.url('ingest')}/dispatches"
        self.mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            stack.endpoints.mongodb_url, tz_aware=True, socketTimeoutMS=60000)
        self.accepted = 0
        self.unanswered = 0
        """Documents whose request got no answer (timeout): ingest may have admitted them."""
        self.unit = "VP"
        self.counter = TrackedCount(stack.endpoints.kafka_bootstrap)

    def pids(self) -> dict[str, int]:
        """The process id of every service and of Kafka and FerretDB."""
        infra = self.stack.infra.processes if self.stack.infra is not None else {}
        every = {**self.stack.fleet.processes, **infra}
        return {name: every[name].pid for name in PROCESSES if name in every}

    async def tracked(self) -> int:
        """Dispatches tracked so far (from Kafka: bench/tracing.py's TrackedCount)."""
        return await self.counter()

    async def backlog(self) -> int:
        return self.accepted - await self.tracked()

    async def load(self, rate: float, seconds: float, on_sent: Callable[[Sent], None] | None = None,
                   single: bool = False) -> LoadResult:
        """Offer ``rate``/s for ``seconds`` (batches, or single POSTs); stop early once the
        backlog passes :func:`bench.steps.abort_backlog`."""
        stop, limit = asyncio.Event(), steps.abort_backlog(rate)

        def count(sent: Sent) -> None:
            self.accepted += sent.status == 202
            self.unanswered += sent.status == 0
            if on_sent is not None:
                on_sent(sent)

        task = asyncio.create_task(
            open_loop(self.url, rate, seconds, on_sent=count, stop=stop) if single else
            batch_open_loop(f"{self.url}/batch", rate, seconds, steps.batch_size(rate),
                            on_sent=count, stop=stop))
        while not task.done():
            await asyncio.wait({task}, timeout=0.5)
            if not stop.is_set() and await self.backlog() > limit:
                self.progress(f"  backlog over {limit}: phase stopped early")
                stop.set()
        result = await task
        result.aborted = stop.is_set()
        return result

    async def drain(self, limit_s: float = 120.0) -> float:
        """Wait until everything accepted is tracked; return how long it took. After requests that
        got no answer, also wait until nothing more is tracked for 3 s, then count what was
        tracked as accepted (the backlog starts again from 0)."""
        started = time.monotonic()
        while await self.backlog() > 0:
            if time.monotonic() - started > limit_s:
                raise TimeoutError(f"backlog {await self.backlog()} not drained in {limit_s:.0f}s")
            await asyncio.sleep(0.2)
        if self.unanswered:
            seen, still = await self.tracked(), 0.0
            while still < 3.0 and time.monotonic() - started < limit_s:
                await asyncio.sleep(0.5)
                now = await self.tracked()
                seen, still = now, (still + 0.5 if now == seen else 0.0)
            self.progress(f"  {self.unanswered} documents got no answer; "
                          f"{seen - self.accepted} of them were tracked")
            self.accepted, self.unanswered = seen, 0
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
        await self.counter.start()
        result = await self.load(5, 4, single=True)
        await self.drain()
        first = result.accepted[0].dispatch_id
        doc = await self.mongo[DB]["assignments"].find_one({"dispatch_id": first})
        self.unit = doc["unit_code"] if doc else self.unit

    async def step(self, rate: float, seconds: float, single: bool = False) -> dict[str, Any]:
        before = await self.backlog()
        result = await self.load(rate, seconds, single=single)
        after = await self.backlog()
        sent, accepted = len(result.sent), len(result.accepted)
        ok = steps.sustainable(rate, sent, accepted, result.seconds, before, after, result.aborted)
        self.progress(f"  {rate:>5.0f}/s offered{' (single POSTs)' if single else ''}: {accepted} "
                      f"accepted in {result.seconds:.1f} s, backlog {before} → {after}"
                      f"{'' if ok else '  (not sustainable)'}")
        answered = [s.answered - s.at for s in result.accepted if s.answered is not None]
        return {"offered_per_s": rate, "accepted": accepted, "seconds": round(result.seconds, 1),
                "backlog_before": before, "backlog_after": after, "sustainable": ok,
                "answer_ms": steps.percentiles_ms(answered)}

    async def hold(self, rate: float) -> tuple[float, dict[str, Any]]:
        """Hold ``rate`` (lowering it if the backlog grows); the rate held and its figures, with
        the CPU of every process from the start of the load until its last dispatch was tracked."""
        sustained: dict[str, Any] = {}
        for attempt in range(steps.HOLD_TRIES):
            self.progress(f"draining, then {self.d.sustain:.0f} s at {rate:.0f}/s")
            await self.drain(300)
            meter = CpuMeter(self.pids())
            before, tracked_before, started = await self.backlog(), await self.tracked(), \
                time.monotonic()
            meter.start()
            result = await self.load(rate, self.d.sustain)
            after, elapsed = await self.backlog(), time.monotonic() - started
            tracked = await self.tracked() - tracked_before
            drain_s = await self.drain(300)
            spent, carried = meter.stop(), await self.tracked() - tracked_before
            bounded = steps.sustainable(rate, len(result.sent), len(result.accepted),
                                        result.seconds, before, after, result.aborted)
            sustained = {"offered_per_s": rate, "seconds": round(elapsed, 1), "bounded": bounded,
                         "assignments_stored_before": tracked_before, "backlog_before": before,
                         "backlog_after": after, "tracked_per_s": round(tracked / elapsed, 1),
                         "attempt": attempt + 1, "drain_after_s": drain_s, "tracked": carried,
                         "cpu_ms": spent, "cpu_ms_per_dispatch": per_dispatch(spent, carried)}
            self.progress(f"  backlog {before} → {after}, tracked {tracked / elapsed:.1f}/s, CPU "
                          f"ms/dispatch {sustained['cpu_ms_per_dispatch']}")
            if bounded:
                break
            rate = steps.lower(rate)
        return rate, sustained

    async def latency(self, rate: float) -> dict[str, Any]:
        """Per-dispatch latencies at ``rate``/s (bench/tracing.py)."""
        await self.drain()
        tracer = Tracer(self.stack.endpoints.kafka_bootstrap)
        await tracer.start()
        result = await self.load(rate, self.d.latency, tracer.on_sent)
        await tracer.finish()
        return {"offered_per_s": round(rate, 1), "stopped_early": result.aborted,
                "batch_size": steps.batch_size(rate), **tracer.summary()}

    async def single(self) -> dict[str, Any]:
        """A short step series of single POSTs (one document per request)."""
        series, best = [], None
        for rate in steps.SINGLE_RATES:
            await self.drain(300)
            series.append(await self.step(rate, self.d.single_step, single=True))
            if not series[-1]["sustainable"]:
                break
            best = rate
        return {"rate_per_s": best, "step_s": self.d.single_step, "steps": series}

    async def run(self) -> dict[str, Any]:
        await self.warm_up()
        self.progress(f"step-up load through the batch endpoint ({self.d.step:.0f} s per step):")
        series: list[dict[str, Any]] = []
        lags: dict[str, int | None] = {}
        rate = float(steps.BATCH_RATES[0])
        for offered in steps.BATCH_RATES:
            await self.drain(300)
            series.append(await self.step(offered, self.d.step))
            if not series[-1]["sustainable"]:
                lags = await self.lags()
                self.progress(f"  lag when saturated: {lags}")
                break
            rate = offered
        rate, sustained = await self.hold(rate)
        latency = {}
        for share in (50, 90):
            self.progress(f"latency at {share}% of {rate:.0f}/s for {self.d.latency:.0f} s")
            latency[share] = await self.latency(rate * share / 100)
            self.progress(f"  {latency[share]}")
        self.progress("single POSTs:")
        single = await self.single()
        await self.drain(300)
        saturated = max(lags, key=lambda k: lags[k] or 0) if lags else None
        return {"rate_per_s": rate if sustained.get("bounded") else None, "unit": self.unit,
                "driven_by": "POST /dispatches/batch, 50 (under 2,000/s) or 100 documents each",
                "accepted_total": self.accepted, "steps": series, "sustained": sustained,
                "cpu_ms_per_dispatch": sustained.get("cpu_ms_per_dispatch"),
                "peak_rss_mb": CpuMeter(self.pids()).peak_rss_mb(),
                "lag_at_saturation": lags, "slowest_consumer": saturated,
                "saturation_rate_per_s": series[-1]["offered_per_s"],
                "latency": {f"at_{k}pct": v for k, v in latency.items()},
                "latency_ms": {"p50_at_50pct": latency[50]["tracked_ms"]["p50"],
                               "p99_at_50pct": latency[50]["tracked_ms"]["p99"],
                               "p99_at_90pct": latency[90]["tracked_ms"]["p99"]},
                "single": single}

    async def close(self) -> None:
        await self.counter.close()
        await self.mongo.close()


async def measure_e2e(stack: Stack, progress: Progress, durations: Durations = FULL
                      ) -> dict[str, Any]:
    """Run the whole end-to-end measurement on ``stack``."""
    e2e = EndToEnd(stack, progress, durations)
    try:
        return await e2e.run()
    finally:
        await e2e.close()
