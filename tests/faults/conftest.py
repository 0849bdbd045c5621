"""A private stack for the process-level fault tests (SIGKILL, rebalance, poison messages)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.faults.harness import Load, duplicate_deliveries, ledger, start_stack
from tools.fleet import ServiceFleet
from tools.infra.stack import LocalInfra
from tools.stack_harness import Stack


@dataclass
class FaultStack:
    """A running stack, every dispatch ingest acknowledged, and the ids tests put on Kafka directly."""

    stack: Stack
    known: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)

    @property
    def infra(self) -> LocalInfra:
        """The stack's own Kafka and FerretDB (tests stop and restart them)."""
        assert self.stack.infra is not None
        return self.stack.infra

    @property
    def fleet(self) -> ServiceFleet:
        return self.stack.fleet

    @property
    def ingest(self) -> str:
        return self.fleet.url("ingest")

    def report(self, fault: str, load: Load, recovery_s: float) -> dict[str, Any]:
        """The ledger of every dispatch acknowledged so far, with the fault's figures printed."""
        self.known |= load.acked()
        report = ledger(self.infra.mongodb_url, self.known, self.direct)
        duplicates = duplicate_deliveries(self.infra.kafka_bootstrap)
        print(f"{fault}: statuses {dict(load.statuses())}, tracking resumed {recovery_s}s after "
              f"the repair, duplicate deliveries {duplicates} (effects: none allowed), tracked "
              f"without a 202: {len(report['untracked_extra'])}")
        return report


@pytest.fixture(scope="package")
def process_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    """Kafka, FerretDB and the four services, shared by the tests that break processes."""
    with start_stack(tmp_path_factory.mktemp("process-faults")) as running:
        yield FaultStack(running)
