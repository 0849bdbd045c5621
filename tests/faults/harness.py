"""What the fault tests share: a private stack, steady load through ingest, and the ledger check.

The check follows Kafka's produce-consume-validate tests: every dispatch ingest acknowledged with
202 must end up tracked exactly once (one assignment, one ``received`` and one ``assigned`` timeline
entry), nothing may be tracked that nobody acknowledged, and duplicate *deliveries* (an event id
seen twice on a topic) are counted apart from duplicate *effects* (a second assignment or entry).
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from shared import topics
from tests.kafka_reader import read_topic
from tools.stack_harness import QUICK_NOTIFIER, Credentials, Sink, Stack

API_KEY = "fault-key"
DB = "faults"
SUBJECT = "V/v kiểm thử sự cố số "


def start_stack(base: Path, **extra_env: str) -> Stack:
    """Own Kafka and FerretDB plus the four services (and a mail/webhook sink), started."""
    return Stack(base, credentials=Credentials(api_keys={"faults": API_KEY}), database=DB,
                 sink=Sink(), env={"INGEST_PUBLISH_TIMEOUT_S": "3", **QUICK_NOTIFIER, **extra_env}
                 ).start()


@dataclass
class Load:
    """``count`` dispatches at ``rate``/s (at most ``concurrency`` in flight), in a thread.

    The rate is kept low enough that no outage here piles up 100 events for the tracker: a batch that
    large freezes FerretDB (see test_ferretdb_bulk_update_deadlock.py), which would hide the fault
    under test behind that bug.
    """

    url: str
    count: int
    rate: float = 5.0
    concurrency: int = 8
    answers: list[tuple[int, str | None]] = field(default_factory=list)
    status_of: dict[int, int] = field(default_factory=dict)
    """Request number (in the subject) → HTTP status (0: no answer)."""
    token: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()

    async def _run(self) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        async with httpx.AsyncClient(timeout=30) as client:
            async def one(i: int) -> None:
                async with gate:
                    try:
                        r = await client.post(f"{self.url}/dispatches", headers={"X-API-Key": API_KEY},
                                              json={"subject": f"{SUBJECT}{self.token}-{i}"})
                        status = r.status_code
                        dispatch_id = r.json().get("dispatch_id") if status in (202, 503) else None
                    except httpx.HTTPError:
                        status, dispatch_id = 0, None
                    self.status_of[i] = status
                    self.answers.append((status, dispatch_id))
            started, tasks = time.monotonic(), []
            for i in range(self.count):
                await asyncio.sleep(max(0.0, started + i / self.rate - time.monotonic()))
                tasks.append(asyncio.create_task(one(i)))
            await asyncio.gather(*tasks)

    def wait_answered(self, n: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.answers) < n and time.monotonic() < deadline:
            time.sleep(0.1)

    def acked(self, timeout: float = 300) -> set[str]:
        """Wait for the load to finish; the dispatch ids answered 202."""
        self._thread.join(timeout)
        return {d for status, d in self.answers if status == 202 and d}

    def statuses(self) -> Counter[int]:
        return Counter(status for status, _ in self.answers)


def tracked_count(mongodb_url: str) -> int:
    with MongoClient(mongodb_url, socketTimeoutMS=30000) as client:
        return client[DB]["assignments"].estimated_document_count()


def wait_progress(mongodb_url: str, since: float, baseline: int, timeout: float = 120) -> float:
    """Seconds from ``since`` (monotonic) until more than ``baseline`` assignments are tracked."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tracked_count(mongodb_url) > baseline:
            return round(time.monotonic() - since, 1)
        time.sleep(0.25)
    raise AssertionError(f"nothing new was tracked within {timeout:.0f}s")


def ledger(mongodb_url: str, acked: set[str], direct: set[str] = frozenset(),  # type: ignore[assignment]
           timeout: float = 180) -> dict[str, Any]:
    """Wait until every acknowledged dispatch is tracked with its timeline entries, then count per
    dispatch.

    The tracker writes a batch's assignments before its timeline entries, so a snapshot taken
    between the two would see a dispatch tracked without them: the ledger waits (up to ``timeout``)
    until no acknowledged dispatch lacks an entry. An entry that is there twice is a duplicate
    effect, and waiting cannot hide it. ``direct``: dispatch ids that tests published straight to
    Kafka, so not extra.
    """
    deadline = time.monotonic() + timeout
    with MongoClient(mongodb_url, socketTimeoutMS=60000) as client:
        db = client[DB]
        while True:
            per_dispatch = Counter(a["dispatch_id"] for a in db["assignments"].find({}, {"dispatch_id": 1}))
            timeline = Counter((t["dispatch_id"], t["event_type"])
                               for t in db["timeline"].find({}, {"dispatch_id": 1, "event_type": 1}))
            lacking = [d for d in acked if not timeline[(d, "dispatch.received")]
                       or not timeline[(d, "dispatch.assigned")]]
            if (acked <= per_dispatch.keys() and not lacking) or time.monotonic() > deadline:
                break
            time.sleep(1.0)
    return {"missing": sorted(acked - per_dispatch.keys()),
            "duplicate_assignments": {d: n for d, n in per_dispatch.items() if d in acked and n != 1},
            "untracked_extra": sorted(per_dispatch.keys() - acked - direct),
            "timeline_anomalies": {d: [timeline[(d, "dispatch.received")],
                                       timeline[(d, "dispatch.assigned")]]
                                   for d in acked if timeline[(d, "dispatch.received")] != 1
                                   or timeline[(d, "dispatch.assigned")] != 1}}


def duplicate_deliveries(bootstrap: str) -> dict[str, int]:
    """Per topic, how many messages repeat an event id already seen (redelivered, not re-applied)."""
    out = {}
    for topic in (topics.DISPATCH_RECEIVED, topics.DISPATCH_ASSIGNED):
        ids = Counter(m.get("event_id") for m in asyncio.run(read_topic(bootstrap, topic)))
        out[topic] = sum(n - 1 for n in ids.values() if n > 1)
    return out


def assert_exactly_once(report: dict[str, Any], allow_extra: bool = False) -> None:
    """Every acknowledged dispatch tracked once; nothing extra; no duplicate effects."""
    assert not report["missing"], f"{len(report['missing'])} acknowledged dispatches never tracked"
    assert not report["duplicate_assignments"], report["duplicate_assignments"]
    assert not report["timeline_anomalies"], report["timeline_anomalies"]
    assert allow_extra or not report["untracked_extra"], \
        f"tracked but never acknowledged: {report['untracked_extra']}"


def refused_but_tracked(mongodb_url: str, extra: list[str], load: Load) -> list[int]:
    """The requests behind ``extra`` (tracked, never answered 202), by the number in the subject.

    Fails if one of them was answered 202 or matches no request (a phantom dispatch)."""
    with MongoClient(mongodb_url, socketTimeoutMS=60000) as client:
        subjects = {d["_id"]: d.get("subject", "") for d in client[DB]["dispatches"].find(
            {"_id": {"$in": extra}}, {"subject": 1})}
    prefix = f"{SUBJECT}{load.token}-"
    numbers = [int(subjects[d].removeprefix(prefix)) if subjects.get(d, "").startswith(prefix)
               else -1 for d in extra]
    assert all(load.status_of.get(n, 202) != 202 for n in numbers), (numbers, load.status_of)
    return numbers
