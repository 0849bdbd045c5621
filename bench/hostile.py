"""``python -m bench.hostile``: ingest under hostile uploads, on its own local Kafka and FerretDB.

Starts ingest alone, sends the reported hostile documents (and a few more over the caps), then the
heaviest documents still allowed while /health is polled every 50 ms, and prints JSON: each case's
status and time, /health latency p50/p99/max during the heavy uploads, and peak memory (VmHWM from
/proc/<pid>/status) of the ingest process and of its extraction workers.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench import hostile_files as hostile
from bench.machine import machine_info
from tools.stack_harness import Credentials, Stack

KEY = "hostile-key"
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUBJECT = '{"subject": "V/v văn bản thử"}'
HOSTILE: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("pdf_10_pages_sharing_100k_operators", hostile.shared_stream_pdf, "a.pdf", PDF),
    ("pdf_51_pages", lambda: hostile.many_pages_pdf(51), "b.pdf", PDF),
    ("docx_unpacking_to_20_mb", hostile.docx_bomb, "c.docx", DOCX),
    ("edxml_1_5_mb_subject", lambda: hostile.edxml("V/v " + "rất dài " * 190_000, "h-1"),
     "d.xml", "application/xml"),
]
HEAVIEST: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("heaviest_allowed_pdf_50_pages_99950_operators", hostile.heaviest_allowed_pdf, "e.pdf", PDF),
    ("heaviest_allowed_docx_5_mb_part", hostile.heaviest_allowed_docx, "f.docx", DOCX),
]


def vm_hwm_kb(pid: int) -> int:
    """Peak resident memory of ``pid`` in KB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (its extraction workers)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class Watch:
    """Polls /health and the workers' peak memory while uploads run."""

    def __init__(self, url: str, pid: int) -> None:
        self.url, self.pid = url, pid
        self.latencies_ms: list[float] = []
        self.worker_peak_kb = 0
        self.stop = asyncio.Event()

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            while not self.stop.is_set():
                started = time.monotonic()
                (await client.get(f"{self.url}/health")).raise_for_status()
                self.latencies_ms.append((time.monotonic() - started) * 1000)
                for child in children(self.pid):
                    self.worker_peak_kb = max(self.worker_peak_kb, vm_hwm_kb(child))
                await asyncio.sleep(0.05)


async def upload(client: httpx.AsyncClient, url: str, case: tuple[str, Callable[[], bytes], str, str]
                 ) -> dict[str, Any]:
    name, build, filename, content_type = case
    data = build()
    started = time.monotonic()
    response = await client.post(f"{url}/dispatches/upload", headers={"X-API-Key": KEY},
                                 files={"file": (filename, data, content_type)},
                                 data={"metadata": SUBJECT} if name.startswith("heaviest") else None)
    detail = response.json().get("detail") if response.status_code >= 400 else None
    first = detail[0] if isinstance(detail, list) and detail else {}
    return {"case": name, "bytes": len(data), "status": response.status_code,
            "type": first.get("type"), "msg": first.get("msg", "")[:160],
            "seconds": round(time.monotonic() - started, 2)}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


async def measure(url: str, pid: int) -> dict[str, Any]:
    """Every case against the running ingest at ``url`` (process ``pid``)."""
    idle_kb = vm_hwm_kb(pid)
    watch = Watch(url, pid)
    poller = asyncio.create_task(watch.run())
    async with httpx.AsyncClient(timeout=300) as client:
        hostile_cases = [await upload(client, url, case) for case in HOSTILE]
        after_hostile_kb = vm_hwm_kb(pid)
        watch.latencies_ms.clear()
        heavy_cases = [await upload(client, url, case) for case in HEAVIEST]
    watch.stop.set()
    await poller
    latencies = watch.latencies_ms
    return {
        "hostile": hostile_cases, "heaviest_allowed": heavy_cases,
        "health_during_heaviest_uploads_ms": {
            "samples": len(latencies), "p50": round(statistics.median(latencies), 1),
            "p99": _percentile(latencies, 0.99), "max": round(max(latencies), 1)},
        "ingest_peak_rss_mb": {"idle": round(idle_kb / 1024, 1),
                               "after_hostile": round(after_hostile_kb / 1024, 1),
                               "after_heaviest_allowed": round(vm_hwm_kb(pid) / 1024, 1)},
        "extraction_worker_peak_rss_mb": round(watch.worker_peak_kb / 1024, 1),
    }


def main() -> None:
    """Start infrastructure and ingest, measure, print JSON, stop everything."""
    with tempfile.TemporaryDirectory(prefix="vanthu-hostile-") as tmp, Stack(
            Path(tmp), services=("ingest",), database="hostile", env={"LOG_LEVEL": "WARNING"},
            credentials=Credentials(api_keys={"bench": KEY})) as stack:
        result = asyncio.run(measure(stack.url("ingest"), stack.fleet.processes["ingest"].pid))
    json.dump({"machine": machine_info(), **result}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
