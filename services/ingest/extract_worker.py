"""The extraction worker process: ``python -m services.ingest.extract_worker MEMORY_MB CPU_S``.

It limits its own address space (``RLIMIT_AS``), says ``("ready", None)``, then answers jobs
read from stdin until stdin closes. Before each job it sets the soft ``RLIMIT_CPU`` to the CPU
time used so far plus ``CPU_S``, so a job that runs over is killed by ``SIGXCPU`` whatever came
before it. OCR runs Tesseract as a child process, single-threaded (``OMP_THREAD_LIMIT=1``), which
inherits these limits. Frames on both pipes are an 8-byte big-endian length and a pickle: a job is
``(data, filename, content_type, caps, trust_store_dir)``, an answer ``("ok", Reading)`` or
``("error", ParseError)``. The parent is ``extraction.Extractor``.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import sys
import warnings
from typing import Any, BinaryIO

from services.ingest.parsing.errors import CorruptFileError, ExtractionLimit, ParseError
from services.ingest.parsing.reading import read_document

HEADER_BYTES = 8
NEAR_LIMIT = 0.9


def read_frame(stream: BinaryIO) -> Any | None:
    """One pickled frame from ``stream``; None at end of stream."""
    header = stream.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        return None
    return pickle.loads(stream.read(int.from_bytes(header, "big")))


def frame(value: Any) -> bytes:
    """``value`` as one frame."""
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return len(body).to_bytes(HEADER_BYTES, "big") + body


def answer(job: tuple[bytes, str | None, str | None, Any, str | None],
           memory_mb: int) -> tuple[str, Any]:
    """Read one document; every failure becomes a :class:`ParseError` to send back. A failure
    while the address space came close to the limit is reported as the memory limit (lxml and
    zlib report a failed allocation as a damaged file)."""
    data, filename, content_type, caps, trust_store = job
    peak_before = vm_peak()
    try:
        return "ok", read_document(data, filename, content_type, caps, trust_store)
    except MemoryError:
        return "error", ExtractionLimit("memory_mb", memory_mb, "MB bộ nhớ")
    except Exception as exc:
        peak = vm_peak()
        if peak > peak_before and peak >= NEAR_LIMIT * memory_mb * 1024 * 1024:
            return "error", ExtractionLimit("memory_mb", memory_mb, "MB bộ nhớ")
        if isinstance(exc, ParseError):
            return "error", exc
        # a parser bug still comes back as an unreadable document
        return "error", CorruptFileError(f"could not read the document: {type(exc).__name__}")


def vm_peak() -> int:
    """This process's peak address space in bytes (``VmPeak``), 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def serve(memory_mb: int, cpu_s: int, jobs: BinaryIO, answers: BinaryIO) -> None:
    """Answer jobs until ``jobs`` ends."""
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract: one thread per page (two shared cores)
    for name in ("pypdf", "pyhanko", "pyhanko_certvalidator"):  # hostile files: no log per object
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    import docx  # noqa: F401  (imported once here, not in the first document's time)
    import pypdf  # noqa: F401  (OCR's and signatures' libraries load with the first scan or signature)

    answers.write(frame(("ready", None)))
    answers.flush()
    while (job := read_frame(jobs)) is not None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(usage.ru_utime + usage.ru_stime) + 1 + cpu_s
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard < 0 else min(soft, hard), hard))
        result = answer(job, memory_mb)
        del job
        try:
            out = frame(result)
        except MemoryError:
            out = frame(("error", ExtractionLimit("memory_mb", memory_mb, "MB bộ nhớ")))
        answers.write(out)
        answers.flush()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), sys.stdin.buffer, sys.stdout.buffer)
