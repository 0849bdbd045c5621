"""``make bench``: measures Vanthu and writes bench/results/latest.json plus a table on stdout.

Pure parts (routing, parsing) are timed in-process, then each service's start to ``/ready``
(bench/startup.py). Then one local Kafka and FerretDB serve, in
turn: the end-to-end pipeline (four service processes, bench/pipeline.py), a pyinstrument profile of
the slowest stage (bench/profiling.py), the raw floor (bench/raw_floor.py) and the tracker's overdue
check on 100 k and 1 M assignments (bench/overdue.py). The whole run is meant to fit 15 minutes.
``python -m bench.run --quick`` runs only the end-to-end part with short phases (a few minutes)
and writes QUICK_DIR/quick.json instead, with the services' logs in QUICK_DIR/logs.
The overdue-check keys ``s_*`` are one check (at most 500 due assignments signalled); ``drain_s_*``
is the time to signal everything due, where it fits the budget (see bench/overdue.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import machine_info
from bench.ocr import measure_ocr_s_per_page
from bench.overdue import measure_overdue
from bench.pipeline import measure_e2e, running_stack
from bench.profiling import profile_service
from bench.raw_floor import measure_raw_floor
from bench.routing import measure_ms_per_decision
from bench.startup import measure_startup
from bench.steps import FULL, QUICK

RESULTS = Path(__file__).parent / "results"
QUICK_DIR = Path(tempfile.gettempdir()) / "vanthu-bench-quick"
BUDGET_S = 13.5 * 60
STARTED = time.monotonic()


def progress(message: str) -> None:
    """One progress line on stderr, with the elapsed time."""
    sys.stderr.write(f"[{time.monotonic() - STARTED:6.1f}s] {message}\n")
    sys.stderr.flush()


def parse_ms_per_letter() -> float | None:
    """Time to parse one corpus letter, if the parser and the corpus are present."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"
    try:
        from bench.parsing import measure_ms_per_letter
    except ImportError:
        return None
    texts = [p.read_text() for p in sorted(corpus.glob("*.txt"))]
    return measure_ms_per_letter(texts, repeat=20) if texts else None


def profile_text(e2e: dict[str, Any], profile: dict[str, Any]) -> str:
    """The bottleneck in one paragraph, from the lags at saturation and the profile."""
    packages = ", ".join(f"{k} {v:.0%}" for k, v in profile.get("share_by_package", {}).items())
    hottest = "; ".join(list(profile.get("hottest_functions", {}))[:3])
    lags = {k: v for k, v in (e2e.get("lag_at_saturation") or {}).items() if v}
    return (f"At {e2e.get('saturation_rate_per_s')}/s offered the largest consumer lag was "
            f"{e2e.get('slowest_consumer')} (non-zero lags: {lags}). pyinstrument on the "
            f"{profile.get('service')} process at {profile.get('offered_per_s')}/s: self time by "
            f"package: {packages}. Hottest functions: {hottest}. CPU seconds per process during "
            f"those {profile.get('seconds_loaded')} s: {profile.get('cpu_seconds_by_process')}.")


def measure_services(results: dict[str, Any]) -> None:
    """Pipeline, profile, raw floor and overdue check on one local Kafka and FerretDB."""
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-") as tmp, \
            running_stack(Path(tmp)) as stack:
        progress("infrastructure and services up; end-to-end")
        e2e = results["e2e"] = asyncio.run(measure_e2e(stack, progress, FULL))
        slowest = e2e.get("slowest_consumer") or "tracker:"
        service = slowest.split(":", 1)[0]
        rate = e2e["latency"]["at_50pct"]["offered_per_s"]
        progress(f"profiling {service} at {rate}/s (50 % of the sustainable rate) for 20 s")
        profile = profile_service(stack, service, rate, 20, RESULTS)
        results["profile"] = {"text": profile_text(e2e, profile), **profile}
        stack.fleet.stop_all()
        n = max(10_000, (e2e.get("sustained") or {}).get("tracked") or 0)
        progress(f"raw floor: {n} messages (as many as the end-to-end hold carried)")
        raw = results["raw_floor"] = asyncio.run(measure_raw_floor(
            stack.endpoints.kafka_bootstrap, stack.endpoints.mongodb_url, n))
        results["efficiency_ratio"] = round(e2e["rate_per_s"] / raw["rate_per_s"], 3) \
            if e2e.get("rate_per_s") else None
        progress(f"raw floor {raw}; overdue check")
        results["overdue_check"] = measure_overdue(
            stack.endpoints.mongodb_url, stack.endpoints.kafka_bootstrap, progress,
            BUDGET_S - (time.monotonic() - STARTED))


def table(results: dict[str, Any]) -> list[tuple[str, Any]]:
    e2e, over = results.get("e2e", {}), results.get("overdue_check", {})
    return [("e2e.rate_per_s (sustainable)", e2e.get("rate_per_s")),
            ("e2e.latency_ms.p50_at_50pct", e2e.get("latency_ms", {}).get("p50_at_50pct")),
            ("e2e.latency_ms.p99_at_50pct", e2e.get("latency_ms", {}).get("p99_at_50pct")),
            ("e2e.latency_ms.p99_at_90pct", e2e.get("latency_ms", {}).get("p99_at_90pct")),
            ("e2e.cpu_ms_per_dispatch", e2e.get("cpu_ms_per_dispatch")),
            ("e2e.peak_rss_mb", e2e.get("peak_rss_mb")),
            ("e2e.single.rate_per_s (single POSTs)", (e2e.get("single") or {}).get("rate_per_s")),
            ("raw_floor.rate_per_s", results.get("raw_floor", {}).get("rate_per_s")),
            ("efficiency_ratio", results.get("efficiency_ratio")),
            ("overdue_check.s_100k_1pct (one check)", over.get("s_100k_1pct")),
            ("overdue_check.s_1m_1pct (one check)", over.get("s_1m_1pct")),
            ("overdue_check.s_1m_100pct (one check)", over.get("s_1m_100pct")),
            ("overdue_check.peak_rss_mb_1m_100pct", over.get("peak_rss_mb_1m_100pct")),
            ("overdue_check.drain_s_100k_1pct", over.get("drain_s_100k_1pct")),
            ("overdue_check.drain_s_100k_100pct", over.get("drain_s_100k_100pct")),
            ("overdue_check.drain_s_1m_1pct", over.get("drain_s_1m_1pct")),
            ("overdue_check.signals_per_s_1m_100pct",
             over.get("run_1m_100pct", {}).get("signals_per_s")),
            ("overdue_check.load_s_1m_1pct (start-up)", over.get("load_s_1m_1pct")),
            ("overdue_check.load_s_1m_100pct (start-up)", over.get("load_s_1m_100pct")),
            ("parse.ms_per_letter", results.get("parse", {}).get("ms_per_letter")),
            ("ocr.s_per_page (one core, 200 dpi)", (results.get("ocr") or {}).get("s_per_page")),
            ("route.ms_per_decision_200_rules",
             results.get("route", {}).get("ms_per_decision_200_rules")),
            ("startup.ready_s_total (four services)",
             results.get("startup", {}).get("ready_s_total")),
            ("startup.tracker_restart_s", results.get("startup", {}).get("tracker_restart_s")),
            ("profile: slowest consumer", e2e.get("slowest_consumer"))]


def quick() -> None:
    """Only the end-to-end part, with short phases; writes QUICK_DIR/quick.json."""
    QUICK_DIR.mkdir(exist_ok=True)
    results: dict[str, Any] = {"measured_at": datetime.now(UTC).isoformat(), "quick": True,
                               "machine": machine_info()}
    try:
        with tempfile.TemporaryDirectory(prefix="vanthu-bench-") as tmp, \
                running_stack(Path(tmp), QUICK_DIR / "logs") as stack:
            progress("infrastructure and services up; end-to-end (quick)")
            results["e2e"] = asyncio.run(measure_e2e(stack, progress, QUICK))
    except Exception as exc:
        results["error"] = repr(exc)[:500]
        raise
    finally:
        write(results, QUICK_DIR / "quick.json")


def write(results: dict[str, Any], path: Path) -> None:
    """Record ``results`` at ``path`` and print the table."""
    results["duration_s"] = round(time.monotonic() - STARTED, 1)
    path.write_text(json.dumps(results, indent=2, default=str))
    for name, value in table(results):
        if value is not None:
            sys.stdout.write(f"{name:<42} {value}\n")
    sys.stdout.write(f"written to {path} in {results['duration_s']} s\n")


def main() -> None:
    """Run every benchmark and record the results."""
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--quick", action="store_true",
                        help=f"only the end-to-end part, short phases ({QUICK_DIR}/quick.json)")
    if parser.parse_args().quick:
        quick()
        return
    RESULTS.mkdir(exist_ok=True)
    progress("routing and parsing timings")
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": machine_info(),
        "route": {"ms_per_decision_200_rules": round(measure_ms_per_decision(200, 2000), 4)},
        "parse": {"ms_per_letter": parse_ms_per_letter()},
        "ocr": measure_ocr_s_per_page(),
    }
    try:
        progress("start-up: each service to /ready")
        with tempfile.TemporaryDirectory(prefix="vanthu-bench-startup-") as tmp:
            results["startup"] = measure_startup(Path(tmp))
        measure_services(results)
    finally:
        write(results, RESULTS / "latest.json")


if __name__ == "__main__":
    main()
