"""A cluster that cannot put a dispatch on two replicas (min.insync.replicas=2, acks=all) refuses
the produce with NOT_ENOUGH_REPLICAS: ingest answers 503 naming the dispatch, never 202."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiokafka.errors import (
    KafkaTimeoutError,
    NotEnoughReplicasAfterAppendError,
    NotEnoughReplicasError,
    RequestTimedOutError,
)

from services.ingest.admission import NOT_CONFIRMED, Admission
from shared.events import DispatchReceived
from tests.service.fakes import InMemoryIngestRepository


@pytest.mark.parametrize("error", [NotEnoughReplicasError, NotEnoughReplicasAfterAppendError,
                                   RequestTimedOutError, KafkaTimeoutError])
async def test_too_few_replicas_in_sync_is_a_503_with_the_dispatch_id(
        error: type[Exception]) -> None:
    told: list[bool] = []

    async def publish(event: DispatchReceived) -> None:
        raise error()

    admission = Admission(InMemoryIngestRepository(), publish, 0.5,
                          kafka_failed=lambda: told.append(True))
    event = DispatchReceived(dispatch_id="d1", source_system="s", correlation_id="d1",
                             occurred_at=datetime(2024, 2, 10, tzinfo=UTC), subject="V/v x")
    outcome = await admission.admit(event, ["req:s:f"], "f")
    assert (outcome.status, outcome.dispatch_id, outcome.detail) == (503, "d1", NOT_CONFIRMED)
    assert told == [True]
