"""The extraction worker's own limits, without servers: wall time, CPU time and memory each end in
an ExtractionLimit naming the limit (a 422 at the API), and the next document is read by a fresh
worker."""

from __future__ import annotations

import pytest

from bench import hostile_files as hostile
from services.ingest.extraction import Extractor, WorkerLimits
from services.ingest.parsing.errors import ExtractionLimit


async def _limit(extractor: Extractor, data: bytes, name: str) -> ExtractionLimit:
    with pytest.raises(ExtractionLimit) as caught:
        await extractor.read(data, name, None)
    return caught.value


async def _still_reads(extractor: Extractor) -> None:
    reading = await extractor.read(hostile.many_pages_pdf(2), "short.pdf", None)
    assert reading.text is not None and "Cong van" in reading.text


async def test_wall_time_kills_the_worker_and_a_fresh_one_takes_over() -> None:
    extractor = Extractor(WorkerLimits(timeout_s=0.5, workers=1))
    try:
        error = await _limit(extractor, hostile.heaviest_allowed_pdf(), "heavy.pdf")
        assert (error.limit, error.value) == ("timeout_s", 0.5) and "timeout_s" in str(error)
        await _still_reads(extractor)
    finally:
        await extractor.close()


async def test_cpu_time_is_counted_per_document() -> None:
    extractor = Extractor(WorkerLimits(cpu_s=1, workers=1))
    try:
        for _ in range(3):  # a worker reused for small documents never trips the limit
            await _still_reads(extractor)
        error = await _limit(extractor, hostile.heaviest_allowed_pdf(), "heavy.pdf")
        assert (error.limit, error.value) == ("cpu_s", 1)
        await _still_reads(extractor)
    finally:
        await extractor.close()


async def test_memory_is_limited_and_reported() -> None:
    # 120 MB: the worker's imports take about 105 MB since pypdf loads OpenSSL through
    # cryptography (a dependency of pyHanko); the heaviest allowed DOCX needs more than 120
    extractor = Extractor(WorkerLimits(memory_mb=120, workers=1))
    try:
        error = await _limit(extractor, hostile.heaviest_allowed_docx(), "heavy.docx")
        assert (error.limit, error.value) == ("memory_mb", 120) and "120 MB" in str(error)
        await _still_reads(extractor)
    finally:
        await extractor.close()
