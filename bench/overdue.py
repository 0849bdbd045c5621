"""The tracker's overdue check with 100,000 and 1,000,000 open assignments, 1 % and 100 % due.

Each size gets its own database, seeded with ``insert_many`` batches of open assignments
(``received``), their deadline checks and one dispatch per ten assignments, straight into FerretDB.
Every 100th assignment's deadline is ``T0 - 1h`` (its level 2 at ``T0 + 30d``); the others' is
``T0 + 30d``. So at ``T0`` 1 % are due, and at ``T0 + 30d`` all of them. Each case is run by a fresh
detector process (bench/overdue_worker.py) that loads its timers from the database as a tracker does
at start, then checks until nothing is due or its time is up; it reports its own peak RSS. The 1 %
case runs first, so the 100 % case sees the 1 % already signalled, as a running tracker would.

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

from services.tracker import timer_pages
from services.tracker.deadline_detector import BATCH_LIMIT
from services.tracker.records import CheckRecord
from shared.assignments import assignment_id
from shared.kafka import key_hash

DB = "overdue"
BATCH = 5000
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
Progress = Any


def _schedule(i: int, t0: datetime) -> dict[str, datetime]:
    """The signal instants of seeded assignment ``i`` (see the table above)."""
    if i % 100 == 0:
        return {"overdue:1": t0 - HOUR, "overdue:2": t0 + 30 * DAY, "overdue:3": t0 + 61 * DAY}
    return {"overdue:1": t0 + 30 * DAY, "overdue:2": t0 + 90 * DAY, "overdue:3": t0 + 91 * DAY}


PAGE = 200
"""Checks per timer page, as the tracker's hot path writes them (one page per consumed batch)."""


def _pages(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timer pages a tracker would have written for ``checks`` (issue 15's fast takeover)."""
    out = []
    for lo in range(0, len(checks), PAGE):
        records = [CheckRecord.from_doc(c) for c in checks[lo:lo + PAGE]]
        out.append({"_id": timer_pages.page_id(c.id for c in records),
                    **timer_pages.encode(records)})
    return out


def seed(url: str, db_name: str, count: int, t0: datetime) -> float:
    """Insert ``count`` assignments with their checks, timer pages and dispatches, as the tracker
    writes them; return seconds."""
    started = time.monotonic()
    client: MongoClient[dict[str, Any]] = MongoClient(url, tz_aware=True, socketTimeoutMS=600000)
    with client:
        db = client[db_name]
        for lo in range(0, count, BATCH):
            checks, assignments, dispatches = [], [], []
            for i in range(lo, min(count, lo + BATCH)):
                dispatch_id, unit = f"bench-{i // 10}", f"U{i % 10}"
                schedule, _id = _schedule(i, t0), assignment_id(dispatch_id, unit)
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
            db["timer_pages"].insert_many(_pages(checks), ordered=False)
            db["assignments"].insert_many(assignments, ordered=False)
            if dispatches:
                db["dispatches"].insert_many(dispatches, ordered=False)
        db["timer_pages"].insert_one({"_id": timer_pages.COMPLETE_ID, "n": 0, "copied": 0})
    return round(time.monotonic() - started, 1)


def check(url: str, db_name: str, kafka: str, clock: datetime, max_s: float) -> dict[str, Any]:
    """Run the detector in a subprocess; its JSON report, or a reason."""
    cmd = [sys.executable, "-m", "bench.overdue_worker", url, db_name, kafka, clock.isoformat(),
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

    for size, label in ((100_000, "100k"), (1_000_000, "1m")):
        db_name = f"{DB}_{label}"
        out[f"seed_{label}_s"] = seed(url, db_name, size, t0)
        progress(f"  seeded {label} in {out[f'seed_{label}_s']} s")
        # the time a check may run, after its start-up load (~80 s at 1M), leaving room for the rest
        one_pct_s, all_s = (60.0, 20.0) if size == 100_000 else (max(40.0, left(140)), None)
        _record(out, f"{label}_1pct", size // 100,
                check(url, db_name, kafka, t0, one_pct_s))
        progress(f"  {label} 1%: {out[f'run_{label}_1pct']}")
        _record(out, f"{label}_100pct", size,
                check(url, db_name, kafka, t0 + 30 * DAY, all_s or left(100)))
        progress(f"  {label} 100%: {out[f'run_{label}_100pct']}")
    return out


if __name__ == "__main__":  # the overdue cases alone, on their own Kafka and FerretDB
    import tempfile
    from pathlib import Path

    from tools.infra.stack import InfraPorts, LocalInfra

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
