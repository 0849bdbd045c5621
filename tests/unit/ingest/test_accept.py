"""The acceptor's answers are truthful: an unconfirmed publish keeps its dispatch id for the retry,
a refusal before the hand-over keeps nothing, and blobs are staged only for a reserved event."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from pymongo.errors import ServerSelectionTimeoutError

from services.ingest.accept import DispatchAcceptor
from shared.events import DispatchReceived
from tests.service.fakes import InMemoryIngestRepository


def _event(dispatch_id: str) -> DispatchReceived:
    return DispatchReceived(dispatch_id=dispatch_id, source_system="s", correlation_id=dispatch_id,
                            occurred_at=datetime(2024, 2, 10, tzinfo=UTC), subject="V/v x")


class Kafka:
    def __init__(self) -> None:
        self.sent: list[DispatchReceived] = []
        self.stall = False
        self.up = True

    async def publish(self, event: DispatchReceived) -> None:
        self.sent.append(event)  # handed to the producer: it may be delivered whatever follows
        if self.stall:
            await asyncio.sleep(10)

    async def ready(self) -> bool:
        return self.up


def _acceptor(repo: InMemoryIngestRepository, kafka: Kafka) -> DispatchAcceptor:
    return DispatchAcceptor(repo, kafka.publish, 0.2, kafka.ready)


async def test_an_unconfirmed_publish_answers_503_with_the_id_a_retry_then_gets() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()
    acceptor = _acceptor(repo, kafka)
    kafka.stall = True
    first = await acceptor.accept(_event("d1"), ["req:s:f"], "f")
    assert (first.status, first.dispatch_id) == (503, "d1")
    assert "dispatch_id" in (first.detail or "")
    assert repo.keys["req:s:f"]["state"] == "pending"
    kafka.stall = False
    repo.keys["req:s:f"]["created_at"] -= timedelta(seconds=1)  # older than the publish timeout
    retry = await acceptor.accept(_event("d2"), ["req:s:f"], "f")
    assert (retry.status, retry.dispatch_id) == (202, "d1")
    assert [e.event_id for e in kafka.sent] == [kafka.sent[0].event_id] * 2  # the same event again
    again = await acceptor.accept(_event("d3"), ["req:s:f"], "f")
    assert (again.status, again.dispatch_id) == (200, "d1")


async def test_kafka_down_before_the_hand_over_keeps_no_reservation_and_no_blob() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()
    kafka.up = False
    staged: list[str] = []

    async def stage() -> None:
        staged.append("blob")

    refused = await _acceptor(repo, kafka).accept(_event("d1"), ["req:s:f"], "f", stage)
    assert (refused.status, refused.dispatch_id) == (503, None)
    assert repo.keys == {} and staged == [] and kafka.sent == []


async def test_blobs_are_staged_for_a_new_event_only() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()
    acceptor = _acceptor(repo, kafka)
    staged: list[str] = []

    async def stage() -> None:
        assert repo.keys["req:s:f"]["dispatch_id"] == "d1"  # reserved before anything is stored
        staged.append("blob")

    assert (await acceptor.accept(_event("d1"), ["req:s:f"], "f", stage)).status == 202
    assert (await acceptor.accept(_event("d2"), ["req:s:f"], "f", stage)).status == 200
    assert staged == ["blob"]


async def test_a_store_outage_is_a_503_that_accepted_nothing() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()

    async def down(keys: list[str]) -> None:
        raise ServerSelectionTimeoutError("ferretdb down")

    repo.find_key = down  # type: ignore[assignment,method-assign]
    outcome = await _acceptor(repo, kafka).accept(_event("d1"), ["req:s:f"], "f")
    assert (outcome.status, outcome.dispatch_id) == (503, None) and kafka.sent == []
