"""The tracker's overdue check with 100,000 and 1,000,000 open assignments, 1 % and 100 % due.

Seeding: ``insert_many`` batches of open assignments (``received``), their deadline checks and one
dispatch per ten assignments, straight into FerretDB. Four cases, each run by a fresh detector process
(bench/overdue_worker.py) that loads its timers from the database as a tracker does at start, then
checks until nothing is due; it reports its own peak RSS:

=============  ==============  ======================================================
case           clock           due
=============  ==============  ======================================================
100k, 1 %      ``T0``          1,000 (every 100th of the first 100k: deadline ``T0 - 1h``)
100k, 100 %    ``T0 + 30d``    all 100,000 (the rest are due at ``T0 + 30d``; the first 1,000
                               have their level-2 signal there)
1M, 1 %        ``T0 + 45d``    10,000 (every 90th of the 900k added: deadline ``T0 + 45d - 1h``);
                               nothing of the first 100k
1M, 100 %      ``T0 + 105d``   all 1,000,000 (each has at least one signal left by then)
=============  ==============  ======================================================

``s_*`` is one check: one pass of the detector, which signals at most ``BATCH_LIMIT`` (500) due
assignments and runs again at once while more are due. ``drain_s_*`` is the time to signal
everything due, where it fits the budget. ``load_s_*`` is the start-up load of the timers, which does
grow with what is stored (one scan of the checks).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import MongoClient

from services.tracker.scanner import BATCH_LIMIT
from shared.kafka import key_hash

DB = "overdue"
BATCH = 5000
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
Progress = Any


def _schedule(i: int, t0: datetime) -> dict[str, datetime]:
    """The signal instants of seeded assignment ``i`` (see the table above)."""
    if i < 100_000:
        if i % 100 == 0:
            return {"overdue:1": t0 - HOUR, "overdue:2": t0 + 30 * DAY, "overdue:3": t0 + 61 * DAY}
        return {"overdue:1": t0 + 30 * DAY, "overdue:2": t0 + 90 * DAY,
                "overdue:3": t0 + 91 * DAY}
    t2 = t0 + 45 * DAY
    if i % 90 == 0:
        return {"overdue:1": t2 - HOUR, "overdue:2": t2 + 59 * DAY, "overdue:3": t2 + 60 * DAY}
    return {"overdue:1": t2 + 30 * DAY, "overdue:2": t2 + 90 * DAY, "overdue:3": t2 + 91 * DAY}


def seed(url: str, start: int, stop: int, t0: datetime) -> float:
    """Insert assignments ``start``..``stop`` with their checks and dispatches; return seconds."""
    started = time.monotonic()
    client: MongoClient[dict[str, Any]] = MongoClient(url, tz_aware=True, socketTimeoutMS=600000)
    with client:
        db = client[DB]
        for lo in range(start, stop, BATCH):
            checks, assignments, dispatches = [], [], []
            for i in range(lo, min(stop, lo + BATCH)):
                dispatch_id, unit = f"bench-{i // 10}", f"U{i % 10}"
                schedule, _id = _schedule(i, t0), f"{dispatch_id}:{unit}"
                checks.append({"_id": _id, "dispatch_id": dispatch_id, "unit_code": unit,
                               "key_hash": key_hash(dispatch_id), "schedule": schedule})
                assignments.append({"_id": _id, "dispatch_id": dispatch_id, "unit_code": unit,
                                    "role": "lead", "status": "received",
                                    "due_at": schedule["overdue:1"], "ack_due_at": None,
                                    "task": None, "assigned_at": t0, "status_changed_at": t0})
                if i % 10 == 0:
                    dispatches.append({"_id": dispatch_id, "subject": f"V/v thử nghiệm {i}",
                                       "number": str(i), "notation": "SCT-VP"})
            db["deadline_checks"].insert_many(checks, ordered=False)
            db["assignments"].insert_many(assignments, ordered=False)
            if dispatches:
                db["dispatches"].insert_many(dispatches, ordered=False)
    return round(time.monotonic() - started, 1)


def check(url: str, kafka: str, clock: datetime, max_s: float) -> dict[str, Any]:
    """Run the detector in a subprocess; its JSON report, or a reason."""
    cmd = [sys.executable, "-m", "bench.overdue_worker", url, DB, kafka, clock.isoformat(),
           str(max_s)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=max_s + 600, check=True)
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
        return {"reason": f"detector run failed: {str(exc)[:300]}"}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _record(out: dict[str, Any], case: str, due: int, run: dict[str, Any]) -> None:
    out[f"run_{case}"] = run
    out[f"s_{case}"] = run.get("one_check_s")
    out[f"load_s_{case}"] = run.get("load_s")
    out[f"peak_rss_mb_{case}"] = run.get("peak_rss_mb")
    out[f"due_{case}"] = due
    if run.get("drained"):
        out[f"drain_s_{case}"] = run["total_s"]
    else:
        out[f"drain_s_{case}"] = None
        rate = run.get("signals_per_s")
        out[f"reason_drain_{case}"] = (
            f"not drained within the budget: {run.get('published')} of {due:,} signalled in "
            f"{run.get('total_s')} s ({rate} signals/s)" if "reason" not in run else run["reason"])


def measure_overdue(url: str, kafka: str, progress: Progress, budget_s: float) -> dict[str, Any]:
    """All overdue-check figures within ``budget_s``; a case that does not fit gets a reason."""
    deadline, t0 = time.monotonic() + budget_s, datetime.now(UTC).replace(microsecond=0)
    out: dict[str, Any] = {"t0": t0.isoformat(), "batch_limit": BATCH_LIMIT}

    def left(reserve: float) -> float:
        return max(20.0, deadline - time.monotonic() - reserve)

    out["seed_100k_s"] = seed(url, 0, 100_000, t0)
    progress(f"  seeded 100k in {out['seed_100k_s']} s")
    _record(out, "100k_1pct", 1_000, check(url, kafka, t0, left(300)))
    progress(f"  100k 1%: {out['run_100k_1pct']}")
    _record(out, "100k_100pct", 100_000, check(url, kafka, t0 + 30 * DAY, min(120.0, left(280))))
    progress(f"  100k 100%: {out['run_100k_100pct']}")
    out["seed_1m_s"] = seed(url, 100_000, 1_000_000, t0)
    progress(f"  seeded up to 1M in {out['seed_1m_s']} s")
    _record(out, "1m_1pct", 10_000, check(url, kafka, t0 + 45 * DAY, left(150)))
    progress(f"  1M 1%: {out['run_1m_1pct']}")
    _record(out, "1m_100pct", 1_000_000, check(url, kafka, t0 + 105 * DAY, left(10)))
    progress(f"  1M 100%: {out['run_1m_100pct']}")
    return out


if __name__ == "__main__":  # the overdue cases alone, on their own Kafka and FerretDB
    import tempfile
    from pathlib import Path

    from shared.infra.stack import InfraPorts, LocalInfra

    def _progress(message: str) -> None:
        sys.stderr.write(f"{message}\n")

    with tempfile.TemporaryDirectory(prefix="vanthu-overdue-") as tmp:
        infra = LocalInfra(Path(tmp), InfraPorts.free())
        infra.start()
        try:
            print(json.dumps(measure_overdue(infra.mongodb_url, infra.kafka_bootstrap, _progress,
                                             float(sys.argv[1]) if len(sys.argv) > 1 else 600),
                             indent=1))
        finally:
            infra.stop()
