"""``make bench``: measures Vanthu and writes bench/results/latest.json plus a table on stdout.

Pure parts (routing, parsing) are timed in-process; the pipeline figure runs the four services as
processes against the real local Kafka and FerretDB.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import machine_info
from bench.pipeline import measure_pipeline
from services.router.bench import measure_ms_per_decision

RESULTS = Path(__file__).parent / "results"



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
        "route": {"ms_per_decision_200_rules": round(measure_ms_per_decision(200, 2000), 4)},
        "parse": {"ms_per_letter": parse_ms_per_letter()},
        "pipeline": measure_pipeline(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    rows = [("route ms/decision (200 rules)", results["route"]["ms_per_decision_200_rules"]),
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
