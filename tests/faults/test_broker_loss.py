"""A three-node Kafka cluster loses a broker under load (SIGKILL), then a second one.

Vanthu's topics have replication factor 3 and ``min.insync.replicas=2``, and producers wait for
``acks=all``. With one node gone, two replicas remain in sync: ingest keeps answering 202 once the
dead node's partitions have new leaders. With two gone, no write can be acknowledged by two
replicas (the last node cannot even shrink an ISR: the KRaft quorum has lost its majority), so
ingest must answer 503 and never a false 202. Once one of them returns, every request not answered
202 is sent again, as a client would (``_resend_unacknowledged``), and every dispatch answered 202
must be tracked exactly once, with nothing tracked that no answer acknowledged.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import pytest

from tests.faults.conftest import FaultStack
from tests.faults.harness import API_KEY, DB, Load, assert_exactly_once, tracked_count, wait_progress
from tests.faults.test_infra_outages import _resend_unacknowledged
from tools.stack_harness import QUICK_NOTIFIER, Credentials, Sink, Stack

pytestmark = pytest.mark.infra
COUNT = 110
RATE = 5.0
FAILOVER_S = 15
"""A killed node is fenced after 6 s (broker.session.timeout.ms); its partitions get new leaders
then, and ingest's readiness probe (every second) lets dispatches in again."""
PROBES = 8


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    with Stack(tmp_path_factory.mktemp("broker-loss"), brokers=3, database=DB, sink=Sink(),
               credentials=Credentials(api_keys={"faults": API_KEY}),
               env={"INGEST_PUBLISH_TIMEOUT_S": "3", "KAFKA_TOPIC_PARTITIONS": "3",
                    **QUICK_NOTIFIER}) as running:
        yield FaultStack(running)


def test_one_broker_lost_keeps_acknowledging_two_lost_refuse_and_nothing_is_lost(
        stack: FaultStack) -> None:
    infra = stack.infra
    assert infra.brokers == 3
    started = time.monotonic()
    load = Load(stack.ingest, COUNT, rate=RATE)
    load.wait_answered(COUNT // 8)
    killed = time.monotonic()
    infra.stop_one("kafka2", hard=True)
    acked = load.acked()
    one_down = dict(load.status_of)
    # once the survivors lead the dead node's partitions, every dispatch is acknowledged again
    first_late = math.ceil((killed - started + FAILOVER_S) * RATE)
    late = [one_down[i] for i in range(first_late, COUNT)]
    print(f"one broker down: statuses {dict(load.statuses())}; 503s at requests "
          f"{sorted(i for i, s in one_down.items() if s != 202)}, the kill before request "
          f"{int((killed - started) * RATE)}")
    assert set(one_down.values()) <= {202, 503}, load.statuses()
    assert len(late) >= 20 and late.count(202) == len(late), late

    infra.stop_one("kafka3", hard=True)
    time.sleep(1.0)
    probes = Load(stack.ingest, PROBES, rate=4, concurrency=4)
    probes.acked()
    print(f"two brokers down: statuses {dict(probes.statuses())}")
    assert probes.statuses()[503] == PROBES, probes.status_of  # never a false 202

    before = tracked_count(infra.mongodb_url)
    restarted = time.monotonic()
    infra.start_one("kafka3")  # two of three again: a quorum, and two replicas in sync
    print(f"a broker back in {time.monotonic() - restarted:.0f}s")
    again = Load(stack.ingest, 5)
    assert again.acked() and again.statuses()[202] == 5, again.status_of
    recovery = wait_progress(infra.mongodb_url, restarted, before)
    stack.known |= acked | again.acked()
    stack.known |= _resend_unacknowledged(stack, load) | _resend_unacknowledged(stack, probes)
    assert_exactly_once(stack.report("brokers lost", load, recovery))
