"""Open-loop HTTP load on ingest: dispatches are sent on a schedule, not when the last one returns.

:func:`open_loop` sends one document per ``POST /dispatches``; :func:`batch_open_loop` sends
``size`` documents per ``POST /dispatches/batch`` (one request every ``size / rate`` seconds). Each
document is recorded with the wall-clock send time of its request, when the answer came, its status
and dispatch id, so that the caller can count what was accepted (202) and follow each accepted
dispatch to its tracked assignment.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

API_KEY = "bench-key"
_SEQ = itertools.count()


@dataclass
class Sent:
    """One document sent: when its request was sent and answered (epoch seconds), its status and
    dispatch id."""

    at: float
    status: int
    dispatch_id: str | None
    answered: float | None = None


@dataclass
class LoadResult:
    """Everything one load phase sent."""

    offered_per_s: float
    seconds: float
    sent: list[Sent] = field(default_factory=list)
    aborted: bool = False

    @property
    def accepted(self) -> list[Sent]:
        """The sends ingest acknowledged with 202."""
        return [s for s in self.sent if s.status == 202]


def payload() -> dict[str, str]:
    """A generic dispatch no specific rule matches: it goes to one unit (the office's triage)."""
    return {"subject": f"V/v thử nghiệm hiệu năng số {next(_SEQ)}"}


async def open_loop(url: str, rate: float, seconds: float, max_in_flight: int = 64,
                    on_sent: Callable[[Sent], None] = lambda _: None,
                    stop: asyncio.Event | None = None) -> LoadResult:
    """Send ``rate`` dispatches per second for ``seconds``; at most ``max_in_flight`` at once.

    ``on_sent`` sees each answer as it arrives (the latency probe follows accepted dispatches);
    setting ``stop`` ends the phase early (what is in flight still completes).
    """
    result = LoadResult(rate, seconds)
    gate = asyncio.Semaphore(max_in_flight)
    headers = {"X-API-Key": API_KEY}

    async def one(client: httpx.AsyncClient) -> None:
        at = time.time()
        try:
            response = await client.post(url, json=payload(), headers=headers)
            dispatch_id = response.json().get("dispatch_id") if response.status_code < 300 else None
            sent = Sent(at, response.status_code, dispatch_id, time.time())
        except httpx.HTTPError:
            sent = Sent(at, 0, None)
        result.sent.append(sent)
        on_sent(sent)
        gate.release()

    limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started, tasks = time.monotonic(), []
        for i in itertools.count():
            due = started + i / rate
            if due - started >= seconds or (stop is not None and stop.is_set()):
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await gate.acquire()
            tasks.append(asyncio.create_task(one(client)))
        await asyncio.gather(*tasks)
    result.seconds = time.monotonic() - started
    return result


async def batch_open_loop(url: str, rate: float, seconds: float, size: int,
                          max_in_flight: int = 64, on_sent: Callable[[Sent], None] = lambda _: None,
                          stop: asyncio.Event | None = None) -> LoadResult:
    """Send ``rate`` documents per second for ``seconds`` to ``url`` (the batch endpoint), ``size``
    per request, at most ``max_in_flight`` requests at once; as :func:`open_loop` otherwise."""
    result = LoadResult(rate, seconds)
    gate = asyncio.Semaphore(max_in_flight)
    headers = {"X-API-Key": API_KEY}

    async def one(client: httpx.AsyncClient) -> None:
        docs, at = [payload() for _ in range(size)], time.time()
        try:
            response = await client.post(url, json={"documents": docs}, headers=headers)
            answered = time.time()
            items = response.json() if response.status_code in (202, 207) else None
            sends = [Sent(at, item["status"], item.get("dispatch_id"), answered)
                     for item in items] if isinstance(items, list) else \
                [Sent(at, response.status_code, None, answered)] * size
        except httpx.HTTPError:
            sends = [Sent(at, 0, None)] * size
        result.sent.extend(sends)
        for sent in sends:
            on_sent(sent)
        gate.release()

    limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started, tasks = time.monotonic(), []
        for i in itertools.count():
            due = started + i * size / rate
            if due - started >= seconds or (stop is not None and stop.is_set()):
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await gate.acquire()
            tasks.append(asyncio.create_task(one(client)))
        issued_s = time.monotonic() - started  # on schedule: one interval short of ``seconds``
        await asyncio.gather(*tasks)
    result.seconds = max(seconds, issued_s)  # the span the requests were sent over
    return result
