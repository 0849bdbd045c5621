"""A consumer killed with SIGKILL mid-stream, and a consumer-group rebalance under load: every
dispatch acknowledged with 202 is still tracked exactly once."""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import FaultStack
from tests.faults.harness import (
    Load,
    assert_exactly_once,
    tracked_count,
    wait_progress,
)
from tools.fleet import ServiceFleet
from tools.infra.paths import free_port

pytestmark = pytest.mark.infra
COUNT = 120


def _finish(stack: FaultStack, load: Load, fault: str, recovery_s: float) -> None:
    assert_exactly_once(stack.report(fault, load, recovery_s))
    assert load.statuses()[202] == COUNT, "with Kafka up, ingest must accept every dispatch"


@pytest.mark.parametrize("service", ["router", "tracker"])
def test_consumer_killed_mid_batch_loses_and_duplicates_nothing(
    process_stack: FaultStack, service: str,
) -> None:
    stack = process_stack
    load = Load(stack.ingest, COUNT)
    load.wait_answered(COUNT // 4)
    stack.fleet.processes[service].kill()  # SIGKILL: no commit, no goodbye to the group
    time.sleep(2)
    restarted, baseline = time.monotonic(), tracked_count(stack.infra.mongodb_url)
    stack.fleet.start(service)
    recovery = wait_progress(stack.infra.mongodb_url, restarted, baseline)
    _finish(stack, load, f"{service} SIGKILL", recovery)


def test_rebalance_under_load_loses_and_duplicates_nothing(
    process_stack: FaultStack, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    stack = process_stack
    second = ServiceFleet(env=stack.fleet.env, ports={"router": free_port(),
                                                      "tracker": stack.fleet.ports["tracker"]},
                          log_dir=tmp_path_factory.mktemp("second-router"))
    load = Load(stack.ingest, COUNT)
    load.wait_answered(COUNT // 4)
    second.start("router")  # the group rebalances: partitions move to the new replica
    load.wait_answered(COUNT * 2 // 3)
    left, baseline = time.monotonic(), tracked_count(stack.infra.mongodb_url)
    second.stop("router")  # and back again
    recovery = wait_progress(stack.infra.mongodb_url, left, baseline)
    _finish(stack, load, "router replica joined and left", recovery)
