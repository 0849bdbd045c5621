"""A private stack for the process-level fault tests (SIGKILL, rebalance, poison messages)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from shared.infra.stack import LocalInfra
from shared.services import ServiceFleet
from tests.faults.harness import start_stack


@dataclass
class FaultStack:
    """A running stack, every dispatch ingest acknowledged, and the ids tests put on Kafka directly."""

    infra: LocalInfra
    fleet: ServiceFleet
    known: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)

    @property
    def ingest(self) -> str:
        return self.fleet.url("ingest")


@pytest.fixture(scope="package")
def process_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    """Kafka, FerretDB and the four services, shared by the tests that break processes."""
    base = tmp_path_factory.mktemp("process-faults")
    infra, fleet = start_stack(base)
    try:
        yield FaultStack(infra, fleet)
    finally:
        fleet.stop_all()
        infra.stop()
