"""OCR seconds per page: corpus letters rendered as scans (200 dpi, slight rotation, blur, specks;
:mod:`tools.scan_render`) and read back as an upload's scanned PDF is, one page at a time on one
core (Tesseract single-threaded, as the extraction worker runs it)."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from services.ingest.parsing.caps import LETTER
from services.ingest.parsing.reading import read_parsed
from tools.scan_render import scanned_pdf

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"
LETTERS = ("s01.txt", "s02.txt", "001.txt")


def measure_ocr_s_per_page(letters: tuple[str, ...] = LETTERS) -> dict[str, float | int] | None:
    """Mean wall seconds per scanned page read (render excluded), or None without the corpus."""
    texts = [(CORPUS / name).read_text(encoding="utf-8") for name in letters if (CORPUS / name).exists()]
    if not texts:
        return None
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    caps = replace(LETTER, ocr_seconds=600)
    pages, seconds = 0, 0.0
    for index, text in enumerate(texts):
        pdf = scanned_pdf(text, seed=index)
        started = time.perf_counter()
        read_parsed(pdf, "scan.pdf", "application/pdf", caps)
        seconds += time.perf_counter() - started
        pages += pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    return {"s_per_page": round(seconds / pages, 2), "pages": pages, "letters": len(texts)}
