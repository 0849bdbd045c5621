"""Admission's answers are truthful: an unconfirmed publish keeps its dispatch id for the retry,
a refusal before the hand-over keeps nothing, and blobs are stored only for a reserved event."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from services.ingest.admission import Admission
from services.ingest.dispatch_builder import Blob
from services.ingest.repository import StoreUnavailable
from shared.events import Attachment, DispatchReceived
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


def _admission(repo: InMemoryIngestRepository, kafka: Kafka) -> Admission:
    return Admission(repo, kafka.publish, 0.2, kafka.ready)


async def test_an_unconfirmed_publish_answers_503_with_the_id_a_retry_then_gets() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()
    admission = _admission(repo, kafka)
    kafka.stall = True
    first = await admission.admit(_event("d1"), ["req:s:f"], "f")
    assert (first.status, first.dispatch_id) == (503, "d1")
    assert "dispatch_id" in (first.detail or "")
    assert repo.keys["req:s:f"]["state"] == "pending"
    kafka.stall = False
    repo.keys["req:s:f"]["created_at"] -= timedelta(seconds=1)  # older than the publish timeout
    retry = await admission.admit(_event("d2"), ["req:s:f"], "f")
    assert (retry.status, retry.dispatch_id) == (202, "d1")
    assert [e.event_id for e in kafka.sent] == [kafka.sent[0].event_id] * 2  # the same event again
    again = await admission.admit(_event("d3"), ["req:s:f"], "f")
    assert (again.status, again.dispatch_id) == (200, "d1")


class StoringRepository(InMemoryIngestRepository):
    """Notes, for each stored blob, which dispatch held the key at that moment."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.stored_under: list[str] = []
        self.fail = fail

    async def store_blob(self, data: bytes, filename: str, content_type: str,
                         blob_id: str | None = None) -> Attachment:
        self.stored_under.append(self.keys["req:s:f"]["dispatch_id"])
        if self.fail:
            raise StoreUnavailable("ferretdb down")
        return await super().store_blob(data, filename, content_type, blob_id)


BLOB = Blob.of(b"%PDF-1.4 ...", "cv.pdf", "application/pdf")


async def test_kafka_down_before_the_hand_over_keeps_no_reservation_and_no_blob() -> None:
    repo, kafka = StoringRepository(), Kafka()
    kafka.up = False
    refused = await _admission(repo, kafka).admit(_event("d1"), ["req:s:f"], "f", [BLOB])
    assert (refused.status, refused.dispatch_id) == (503, None)
    assert repo.keys == {} and repo.blobs == {} and kafka.sent == []


async def test_blobs_are_stored_for_a_new_event_only() -> None:
    repo, kafka = StoringRepository(), Kafka()
    admission = _admission(repo, kafka)
    assert (await admission.admit(_event("d1"), ["req:s:f"], "f", [BLOB])).status == 202
    assert (await admission.admit(_event("d2"), ["req:s:f"], "f", [BLOB])).status == 200
    assert repo.stored_under == ["d1"]  # reserved for this event before anything was stored
    assert repo.blobs == {BLOB.attachment.blob_id: BLOB.data}


async def test_a_blob_the_store_cannot_take_releases_the_keys_and_publishes_nothing() -> None:
    repo, kafka = StoringRepository(fail=True), Kafka()
    outcome = await _admission(repo, kafka).admit(_event("d1"), ["req:s:f"], "f", [BLOB])
    assert (outcome.status, outcome.dispatch_id) == (503, None)
    assert repo.keys == {} and kafka.sent == []


async def test_a_store_outage_is_a_503_that_accepted_nothing() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()

    async def down(*_: object) -> None:
        raise StoreUnavailable("ferretdb down")  # what the repository makes of a driver error

    repo.find_key = repo.reserve = down  # type: ignore[method-assign, assignment]
    outcome = await _admission(repo, kafka).admit(_event("d1"), ["req:s:f"], "f")
    assert (outcome.status, outcome.dispatch_id) == (503, None) and kafka.sent == []
    assert outcome.detail is not None and "CHƯA" in outcome.detail


async def test_a_new_document_is_reserved_without_a_read_and_recorded_published_once() -> None:
    """Reserve first: the unique insert refuses a known key by itself, so a new document costs
    two store calls (reserve, then the origin that marks it published) and a known one is looked
    up only after refusal."""
    calls: list[str] = []

    class Counting(InMemoryIngestRepository):
        def __getattribute__(self, name: str) -> object:
            if name in ("find_key", "reserve", "release", "record_published"):
                calls.append(name)
            return super().__getattribute__(name)

    repo, kafka = Counting(), Kafka()
    admission = _admission(repo, kafka)
    assert (await admission.admit(_event("d1"), ["req:s:f", "nat:s:1"], "f")).status == 202
    assert calls == ["reserve", "record_published"]
    assert repo.origins["d1"]["source_system"] == "s"
    calls.clear()
    assert (await admission.admit(_event("d2"), ["req:s:f", "nat:s:1"], "f")).dispatch_id == "d1"
    assert calls == ["reserve", "find_key"] and [e.dispatch_id for e in kafka.sent] == ["d1"]


async def test_an_unacknowledged_publication_tells_readiness_kafka_failed() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()
    failures: list[bool] = []
    admission = Admission(repo, kafka.publish, 0.2, kafka.ready, lambda: failures.append(True))
    kafka.stall = True
    assert (await admission.admit(_event("d1"), ["req:s:f"], "f")).status == 503
    assert failures == [True]
