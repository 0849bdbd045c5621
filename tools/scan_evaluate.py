"""``vanthu eval-parse --scanned``: how well the parser reads the corpus letters once they are scans.

Each letter's text is scored as it is, then rendered as pages that look scanned
(:mod:`tools.scan_render`: 200 dpi, a slight rotation, blur and speckles, DejaVu Serif), made into
an image-only PDF, read back by OCR exactly as an upload is (:func:`read_parsed`, with the OCR time
cap lifted) and scored again. The figure that matters is ``ratio``: the scanned score over the text
score on the same letters (goal: at least 0.9).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from services.ingest.parsing.caps import LETTER
from services.ingest.parsing.errors import ParseError
from services.ingest.parsing.reading import read_parsed
from tools.parse_evaluate import evaluate
from tools.scan_render import scanned_pdf

EVAL_CAPS = replace(LETTER, ocr_seconds=600)


def scan_and_read(text: str, seed: int = 0) -> tuple[dict[str, Any] | None, int, float]:
    """``text`` rendered as a scan and read back: (labels or None, pages, OCR seconds)."""
    pdf = scanned_pdf(text, seed)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    started = time.perf_counter()
    try:
        labels = read_parsed(pdf, "scan.pdf", "application/pdf", EVAL_CAPS).to_labels()
    except ParseError:
        labels = None
    return labels, pages, time.perf_counter() - started


def _one(job: tuple[str, str, int]) -> tuple[str, dict[str, Any] | None, int, float]:
    name, text, seed = job
    return (name, *scan_and_read(text, seed))


def evaluate_scanned(docs: Path, labels: list[dict[str, Any]],
                     read_labels: Callable[[str], Mapping[str, Any] | None]) -> dict[str, Any]:
    """Text and scanned scores of the text letters among ``labels``, and their ratio."""
    rows = [row for row in labels if str(row.get("file", "")).endswith(".txt")]
    text_parsed: dict[str, Mapping[str, Any] | None] = {}
    for row in rows:
        try:
            text_parsed[row["file"]] = read_labels(row["file"])
        except (ParseError, OSError):
            text_parsed[row["file"]] = None
    jobs = [(row["file"], (docs / row["file"]).read_text(encoding="utf-8"), index)
            for index, row in enumerate(rows)]
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        results = list(pool.map(_one, jobs))
    scanned = {name: parsed for name, parsed, _, _ in results}
    pages = sum(count for _, _, count, _ in results)
    seconds = sum(took for _, _, _, took in results)
    text_score, scan_score = evaluate(text_parsed, rows), evaluate(scanned, rows)
    ratio = scan_score["overall"] / text_score["overall"] if text_score["overall"] else 0.0
    return {"documents": len(rows), "pages": pages,
            "read_seconds_per_page": round(seconds / pages, 2) if pages else None,
            "text": text_score, "scanned": scan_score, "ratio": round(ratio, 4)}
