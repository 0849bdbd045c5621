"""``make bench``: measures Vanthu and writes bench/results/latest.json plus a table on stdout.

Pure parts (routing, parsing) are timed in-process; the pipeline figure runs the four services as
processes against the real local Kafka and FerretDB.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import machine_info
from bench.pipeline import measure_pipeline
from services.router.routing import decide
from shared.events import DispatchReceived

RESULTS = Path(__file__).parent / "results"


def route_ms_per_decision(repeat: int = 20000) -> float:
    """Time of one routing decision (the router's current fixed rule)."""
    dispatch = DispatchReceived(dispatch_id="d", correlation_id="c", source_system="bench",
                                subject="V/v tổng kết công tác cải cách hành chính năm 2023")
    now = datetime.now(UTC)
    started = time.perf_counter()
    for _ in range(repeat):
        decide(dispatch, default_unit="VP", handling_days=7, now=now)
    return (time.perf_counter() - started) * 1000 / repeat


def parse_ms_per_letter() -> float | None:
    """Time to parse one corpus letter, if the parser and the corpus are present."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"
    try:
        from services.ingest.parsing.bench import measure_ms_per_letter
    except ImportError:
        return None
    texts = [p.read_text() for p in sorted(corpus.glob("*.txt"))]
    return measure_ms_per_letter(texts, repeat=20) if texts else None


def main() -> None:
    """Run every benchmark and record the results."""
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": machine_info(),
        "route": {"ms_per_decision_fixed_rule": round(route_ms_per_decision(), 4)},
        "parse": {"ms_per_letter": parse_ms_per_letter()},
        "pipeline": measure_pipeline(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    rows = [("route ms/decision (fixed rule)", results["route"]["ms_per_decision_fixed_rule"]),
            ("parse ms/letter", results["parse"]["ms_per_letter"]),
            ("ingest HTTP rate /s", results["pipeline"]["ingest_rate_per_s"]),
            ("tracked rate /s", results["pipeline"]["tracked_rate_per_s"]),
            ("ingest p50 ms", results["pipeline"]["ingest_latency_ms"]["p50"]),
            ("ingest p99 ms", results["pipeline"]["ingest_latency_ms"]["p99"])]
    for name, value in rows:
        sys.stdout.write(f"{name:<34} {value}\n")
    sys.stdout.write(f"written to {RESULTS / 'latest.json'}\n")


if __name__ == "__main__":
    main()
