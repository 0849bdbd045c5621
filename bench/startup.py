"""How long each service takes from its process start to ``/ready`` (its consumers hold their
partitions), on one local Kafka and FerretDB, and how long a restarted tracker takes.

``python -m bench.startup`` writes bench/results/startup.json; ``make bench`` includes it as
``startup``. Services are started one at a time, so each figure is that service alone.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.fleet import SERVICES
from tools.stack_harness import Stack

RESULTS = Path(__file__).parent / "results"


def measure_startup(base_dir: Path) -> dict[str, Any]:
    """Seconds to ready per service (first start, empty store), the tracker's restart, and the
    infrastructure's own start."""
    started = time.monotonic()
    stack = Stack(base_dir, services=())
    stack.start()
    try:
        result: dict[str, Any] = {"infra_s": round(time.monotonic() - started, 2)}
        stack.fleet.env.update(stack.env())
        ready: dict[str, float] = {}
        for service in SERVICES:
            began = time.monotonic()
            stack.fleet.start(service)
            ready[service] = round(time.monotonic() - began, 2)
        result["ready_s"] = ready
        result["ready_s_total"] = round(sum(ready.values()), 2)
        stack.fleet.stop("tracker")
        began = time.monotonic()
        stack.fleet.start("tracker")
        result["tracker_restart_s"] = round(time.monotonic() - began, 2)
        return result
    finally:
        stack.stop()


def main() -> None:
    """Measure and write bench/results/startup.json."""
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-startup-") as tmp:
        result = {"measured_at": datetime.now(UTC).isoformat(), **measure_startup(Path(tmp))}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
