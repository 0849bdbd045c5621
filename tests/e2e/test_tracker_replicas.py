"""Two tracker processes share the work: each deadline signal of each assignment is emitted once.

Twelve copies of letter 2 (7 units each) are tracked by two tracker replicas on one simulated clock.
The replicas split the partitions of the dispatch topics, and with them the deadline timers. After the
clock passes overdue level 3, every assignment has had exactly one signal of each kind, and both
replicas took part.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from shared import topics
from tests.e2e.conftest import Stack
from tests.e2e.test_letter2_escalation import LETTER_2
from tests.kafka_reader import read_topic
from tools.fleet import ServiceFleet, wait_for
from tools.infra.paths import free_port

pytestmark = pytest.mark.infra
COPIES = 12
KINDS = {topics.ASSIGNMENT_UNACKNOWLEDGED: "unacknowledged",
         topics.ASSIGNMENT_APPROACHING: "approaching", topics.ASSIGNMENT_OVERDUE: "overdue"}


def _signals(bootstrap: str, dispatch_ids: set[str]) -> Counter[tuple[str, str, str, int]]:
    counted: Counter[tuple[str, str, str, int]] = Counter()
    for topic, kind in KINDS.items():
        for m in asyncio.run(read_topic(bootstrap, topic)):
            if m["dispatch_id"] in dispatch_ids:
                counted[(m["dispatch_id"], m["unit_code"], kind, int(m.get("level", 0)))] += 1
    return counted


def _signalled_by(log: Path) -> int:
    return sum(1 for line in log.read_text().splitlines()
               if line.startswith("{") and json.loads(line).get("event") == "deadline signal")


def test_two_tracker_replicas_emit_each_level_once_per_assignment(
    start_stack: Callable[..., Stack], tmp_path: Path,
) -> None:
    stack = start_stack(CLOCK_EPOCH=datetime.now(UTC).isoformat(),
                        CLOCK_START="2024-02-06T08:00:00+07:00")
    second = ServiceFleet(env=stack.fleet.env, ports={"tracker": free_port()}, log_dir=tmp_path)
    second.start("tracker")
    trackers = [stack.url("tracker"), second.url("tracker")]
    try:
        dispatch_ids = {stack.post_dispatch(body=LETTER_2.read_text(), number=str(100 + i))
                        for i in range(COPIES)}
        assert wait_for(lambda: all(len((stack.view(d) or {}).get("assignments", [])) == 7
                                    for d in dispatch_ids), timeout=90)
        for url in trackers:  # one simulated clock: move both replicas past overdue level 3
            now = datetime.fromisoformat(httpx.get(f"{url}/clock", timeout=10).json()["now"])
            target = datetime.fromisoformat("2024-02-21T09:00:00+07:00")
            httpx.post(f"{url}/clock/advance", json={"seconds": (target - now).total_seconds()},
                       timeout=10).raise_for_status()
        expected = {(d, u, kind, level) for d in dispatch_ids
                    for u in ("VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT")
                    for kind, level in (("unacknowledged", 0), ("approaching", 0),
                                        ("overdue", 1), ("overdue", 2), ("overdue", 3))}
        bootstrap = stack.fleet.env["KAFKA_BOOTSTRAP_SERVERS"]
        assert wait_for(lambda: set(_signals(bootstrap, dispatch_ids)) >= expected, timeout=120)
        time.sleep(3)  # ten more checks by each replica: nothing may fire again
        counted = _signals(bootstrap, dispatch_ids)
        assert set(counted) == expected
        assert {n for n in counted.values()} == {1}, "a signal was emitted twice"
        by_replica = [_signalled_by(stack.fleet.log_dir / "tracker.log"),
                      _signalled_by(tmp_path / "tracker.log")]
        assert sum(by_replica) == len(expected) and min(by_replica) > 0, by_replica
    finally:
        second.stop_all()
