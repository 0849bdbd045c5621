"""A batch is admitted as a batch: one reservation, publications in flight together, keys marked
and origins recorded once, and still each document's own answer (202, 200, 413/422, 503)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from services.ingest.admission import Admission, Candidate
from services.ingest.batch import admit_batch
from services.ingest.dispatch_builder import DispatchBuilder, Refused
from services.ingest.idempotency import request_fingerprint
from services.ingest.parsing import ParsedDocument
from services.ingest.payloads import DispatchIn
from services.ingest.repository import StoreUnavailable
from services.ingest.settings import IngestSettings
from shared.clock import FixedClock
from shared.events import DispatchReceived
from tests.service.fakes import InMemoryIngestRepository

NOW = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)


class Kafka:
    """Acknowledges after a moment; counts the publications in flight at once."""

    def __init__(self, refuse: str | None = None) -> None:
        self.sent: list[DispatchReceived] = []
        self.in_flight = self.most_in_flight = 0
        self.refuse = refuse

    async def publish(self, event: DispatchReceived) -> None:
        self.sent.append(event)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01 if event.subject != self.refuse else 5)
        finally:
            self.in_flight -= 1


class CountingStore(InMemoryIngestRepository):
    """Counts the store's calls by name."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, int] = {}

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name not in ("calls", "keys", "blobs", "origins"):
            calls = super().__getattribute__("calls")
            calls[name] = calls.get(name, 0) + 1
        return super().__getattribute__(name)


def _build() -> Any:
    builder = DispatchBuilder(IngestSettings(ingest_max_event_bytes=4096), FixedClock(NOW))

    def one(doc: DispatchIn, parsed: ParsedDocument | None) -> Candidate:
        fingerprint = request_fingerprint(doc.model_dump_json().encode())
        built = builder.build("portal", doc.model_dump(exclude={"body"}), parsed, doc.body, [],
                              fingerprint)
        return Candidate(built.event, built.keys, fingerprint, built.blobs)
    return one


async def test_a_batch_is_reserved_once_published_together_and_recorded_once() -> None:
    repo, kafka = CountingStore(), Kafka()
    admission = Admission(repo, kafka.publish, 1.0)
    docs = [DispatchIn(subject=f"V/v số {n}") for n in range(20)]
    status, results = await admit_batch(docs, _build(), admission, max_items=50)

    assert status == 202 and [r.status for r in results] == [202] * 20
    assert kafka.most_in_flight == 20, "every publication is in flight before the first ack"
    assert {e.dispatch_id for e in kafka.sent} == {r.dispatch_id for r in results}
    assert set(repo.origins) == {r.dispatch_id for r in results}
    assert {k: repo.calls.get(k) for k in ("reserve_many", "find_key", "record_published")} == {
        "reserve_many": 1, "find_key": None, "record_published": 1}
    states = [(await repo.find_key([k]) or {})["state"] for k in list(repo.keys)]
    assert states and set(states) == {"published"}


async def test_each_document_keeps_its_own_answer() -> None:
    """A refused one (413 naming the field), a copy within the batch (200, the first's id), one
    known from before (200), one Kafka does not acknowledge (503 with its id)."""
    repo, kafka = InMemoryIngestRepository(), Kafka(refuse="V/v chậm")
    admission = Admission(repo, kafka.publish, 0.3)
    build = _build()
    _, [earlier] = await admit_batch([DispatchIn(subject="V/v cũ")], build, admission, 50)
    huge = DispatchIn(subject="V/v dài", recipients=[f"Phòng số {n:03d} của Sở Công Thương"
                                                     for n in range(200)])
    docs = [DispatchIn(subject="V/v mới"), huge, DispatchIn(subject="V/v mới"),
            DispatchIn(subject="V/v cũ"), DispatchIn(subject="V/v chậm")]
    status, results = await admit_batch(docs, build, admission, max_items=50)

    assert status == 207 and [r.status for r in results] == [202, 413, 200, 200, 503]
    assert results[1].dispatch_id is None and "recipients" in str(results[1].detail)
    assert results[2].dispatch_id == results[0].dispatch_id
    assert results[3].dispatch_id == earlier.dispatch_id
    slow = results[4].dispatch_id
    assert slow is not None and "dispatch_id" in str(results[4].detail)
    assert [k["state"] for k in repo.keys.values() if k["dispatch_id"] == slow] == ["pending"]
    assert [e.subject for e in kafka.sent].count("V/v mới") == 1


async def test_a_store_outage_answers_every_document_503_and_publishes_nothing() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()

    async def down(*_: object) -> None:
        raise StoreUnavailable("ferretdb down")

    repo.reserve_many = down  # type: ignore[method-assign, assignment]
    status, results = await admit_batch([DispatchIn(subject="V/v x"), DispatchIn(subject="V/v y")],
                                        _build(), Admission(repo, kafka.publish, 1.0), 50)
    assert status == 207 and [(r.status, r.dispatch_id) for r in results] == [(503, None)] * 2
    assert kafka.sent == []


async def test_a_batch_over_its_size_admits_nothing() -> None:
    repo, kafka = InMemoryIngestRepository(), Kafka()
    with pytest.raises(Refused) as caught:
        await admit_batch([DispatchIn(subject="V/v x")] * 3, _build(),
                          Admission(repo, kafka.publish, 1.0), max_items=2)
    assert caught.value.status == 422 and kafka.sent == [] and repo.keys == {}
