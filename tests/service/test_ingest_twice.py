"""Ingest's API through a broker: one test body in memory and on real Kafka + FerretDB.

A dispatch posted with an Idempotency-Key is on ``vanthu.dispatch.received.v1`` once; the same post
again answers 200 with the same dispatch id; its body, too large to travel inline, is stored and the
event carries ``body_ref``, which reads back as the posted body.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from faststream.kafka import TestKafkaBroker

from services.ingest.admission import Admission
from services.ingest.api import dispatch_router
from services.ingest.repository import IngestRepository
from shared import topics
from shared.events import DispatchReceived
from shared.kafka import make_broker
from shared.tokens import hash_secret
from tests.service.twice import (
    IN_MEMORY,
    Infra,
    InMemoryIngestStore,
    collect,
    eventually,
    fresh_database,
    real,
)

KEY = {"X-API-Key": "test-key"}
BODY = "Kính gửi: Các phòng thuộc Sở.\n" + "Đề nghị báo cáo tình hình thương mại quý I năm 2024. " * 60


async def _posted_then_on_the_topic(infra: Infra, repo: Any) -> None:
    settings = infra.settings("ingest", ingest_api_keys=f"portal:{hash_secret('test-key')}",
                              ingest_tracker_url="http://tracker", ingest_inline_body_max_bytes=2048)
    broker = make_broker(settings, "ingest")
    publisher = broker.publisher(topics.DISPATCH_RECEIVED, title="ingest:received")

    async def publish(event: DispatchReceived) -> None:
        await publisher.publish(event, key=event.dispatch_id.encode())

    admission = Admission(repo, publish, settings.ingest_publish_timeout_s)
    app = FastAPI()
    app.include_router(dispatch_router(settings, admission, repo, settings.clock()))
    received: list[DispatchReceived] = []
    collect(broker, topics.DISPATCH_RECEIVED, DispatchReceived, received)
    await infra.prepare(settings)
    correlation = str(uuid.uuid4())
    headers = {**KEY, "Idempotency-Key": correlation, "X-Correlation-ID": correlation}
    letter = {"subject": "V/v báo cáo tình hình thương mại quý I", "notation": "SCT-VP",
              "issuer": "SỞ CÔNG THƯƠNG", "due_at": "2024-02-16T17:00:00+07:00", "body": BODY}
    async with TestKafkaBroker(broker, with_real=infra.real), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ingest") as client:
        first = await client.post("/dispatches", json=letter, headers=headers)
        assert first.status_code == 202, first.text
        did = first.json()["dispatch_id"]
        again = await client.post("/dispatches", json=letter, headers=headers)
        assert again.status_code == 200 and again.json()["dispatch_id"] == did, again.text
        await eventually(lambda: any(e.dispatch_id == did for e in received))

    [event] = [e for e in received if e.dispatch_id == did]
    assert (event.correlation_id, event.source_system, event.notation) == (correlation, "portal",
                                                                            "SCT-VP")
    assert event.due_at is not None and event.due_at.hour == 10  # 17:00 +07:00 in UTC
    assert event.body is None and event.body_ref is not None
    stored = await repo.read_blob(event.body_ref)
    assert stored is not None and stored.decode() == BODY


async def test_ingest_in_memory() -> None:
    await _posted_then_on_the_topic(IN_MEMORY, InMemoryIngestStore())


@pytest.mark.infra
async def test_ingest_on_real_kafka_and_ferretdb(infra: Any) -> None:
    on = real(infra)
    async with fresh_database(on) as db:
        repo = IngestRepository(db)
        await repo.create_indexes()
        await _posted_then_on_the_topic(on, repo)
