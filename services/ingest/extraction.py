"""Reading uploads off the event loop, in worker processes with memory, CPU and wall-time limits.

Up to ``workers`` worker processes (``services/ingest/extract_worker.py``) read documents; an upload
waits for a free one without blocking the loop. A worker limits its own memory (``RLIMIT_AS``) and
each job's CPU time (``RLIMIT_CPU``); the parent kills it when a job's wall time is up. A worker that
was killed, or died, is replaced by a fresh one on the next upload, and the upload that caused it
gets :class:`ExtractionLimit` (a 422), never a 500. The work itself is
:func:`services.ingest.parsing.reading.read_document` (pure but for OCR's Tesseract process),
within the letter caps (OCR's pages and seconds among them) and against the trust store folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from dataclasses import dataclass, replace
from typing import Any

from services.ingest.extract_worker import HEADER_BYTES, frame
from services.ingest.parsing.caps import LETTER, Caps
from services.ingest.parsing.errors import ExtractionLimit, ParseError
from services.ingest.parsing.reading import Reading
from services.ingest.settings import IngestSettings
from shared.logging import get_logger

log = get_logger(__name__)
STARTUP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class WorkerLimits:
    """What reading one document may use."""

    memory_mb: int = 768
    cpu_s: int = 15
    timeout_s: float = 30.0
    workers: int = 2
    trust_store_dir: str | None = "config/trust-store"


def extractor_for(settings: IngestSettings) -> Extractor:
    """The extractor the settings describe: worker limits, OCR caps and the trust store."""
    limits = WorkerLimits(memory_mb=settings.ingest_extract_memory_mb,
                          cpu_s=settings.ingest_extract_cpu_s,
                          timeout_s=settings.ingest_extract_timeout_s,
                          workers=settings.ingest_extract_workers,
                          trust_store_dir=settings.ingest_trust_store_dir or None)
    caps = replace(LETTER, ocr_pages=settings.ingest_ocr_max_pages,
                   ocr_seconds=settings.ingest_ocr_timeout_s)
    return Extractor(limits, caps)


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, limits: WorkerLimits) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.ingest.extract_worker", str(limits.memory_mb),
            str(limits.cpu_s), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        worker = cls(process)
        try:  # its imports are not the job's time
            await asyncio.wait_for(worker.receive(), STARTUP_TIMEOUT_S)
        except BaseException:
            await worker.stop()
            raise
        return worker

    async def ask(self, job: tuple[bytes, str | None, str | None, Caps, str | None]
                  ) -> tuple[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(frame(job))
        await self.process.stdin.drain()
        return await self.receive()

    async def receive(self) -> tuple[str, Any]:
        assert self.process.stdout is not None
        header = await self.process.stdout.readexactly(HEADER_BYTES)
        body = await self.process.stdout.readexactly(int.from_bytes(header, "big"))
        return await asyncio.to_thread(_unpickle, body)

    async def stop(self) -> int | None:
        """Kill the worker and reap it."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        return await self.process.wait()

    async def reap(self) -> int | None:
        """The exit status of a worker that closed its pipe: wait for it rather than kill it, since
        killing polls and could reap it before asyncio's child watcher sees its signal."""
        try:
            return await asyncio.wait_for(self.process.wait(), 5)
        except TimeoutError:
            return await self.stop()


def _unpickle(body: bytes) -> tuple[str, Any]:
    import pickle

    answer: tuple[str, Any] = pickle.loads(body)
    return answer


class Extractor:
    """Reads uploads in bounded worker processes; one instance per service."""

    def __init__(self, limits: WorkerLimits, caps: Caps = LETTER) -> None:
        self.limits, self.caps = limits, caps
        self._idle: list[_Worker] = []
        self._gate: asyncio.Semaphore | None = None

    async def read(self, data: bytes, filename: str | None, content_type: str | None) -> Reading:
        """Read one file; raises :class:`ParseError` (:class:`ExtractionLimit` past a limit)."""
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limits.workers)
        async with self._gate:
            worker = self._idle.pop() if self._idle else await _Worker.start(self.limits)
            try:
                kind, value = await asyncio.wait_for(
                    worker.ask((data, filename, content_type, self.caps,
                                self.limits.trust_store_dir)), self.limits.timeout_s)
            except TimeoutError:
                await worker.stop()
                log.warning("extraction worker killed at its wall-time limit", filename=filename)
                raise ExtractionLimit("timeout_s", self.limits.timeout_s, "giây") from None
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                raise self._died(await worker.reap(), filename) from exc
            except BaseException:
                await worker.stop()
                raise
            if isinstance(value, ExtractionLimit):
                await worker.stop()  # out of memory once: start the next document afresh
            else:
                self._idle.append(worker)
        if kind == "ok" and isinstance(value, Reading):
            return value
        if isinstance(value, ParseError):
            raise value
        raise ExtractionLimit("memory_mb", self.limits.memory_mb, "MB bộ nhớ")

    async def close(self) -> None:
        """Stop the idle workers (at shutdown)."""
        while self._idle:
            await self._idle.pop().stop()

    def _died(self, returncode: int | None, filename: str | None) -> ExtractionLimit:
        log.warning("extraction worker died", returncode=returncode, filename=filename)
        if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            return ExtractionLimit("cpu_s", self.limits.cpu_s, "giây CPU")
        return ExtractionLimit("memory_mb", self.limits.memory_mb, "MB bộ nhớ")
