"""Ingest's HTTP API with the in-memory broker: 202 after publishing, clear 4xx, 503 without Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka.errors import KafkaConnectionError
from fastapi import FastAPI
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.ingest.api import dispatch_router
from shared import topics
from shared.events import DispatchReceived

TRACKER = "http://tracker.example:8002"


@pytest.fixture
async def client_and_received() -> AsyncIterator[tuple[httpx.AsyncClient, list[DispatchReceived]]]:
    broker = KafkaBroker("127.0.0.1:9")
    received: list[DispatchReceived] = []

    @broker.subscriber(topics.DISPATCH_RECEIVED)
    async def collect(event: DispatchReceived) -> None:
        received.append(event)

    app = FastAPI()
    app.include_router(dispatch_router(broker, TRACKER))
    async with TestKafkaBroker(broker):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
            yield client, received


async def test_accepted_dispatch_is_published_before_the_202(client_and_received: Any) -> None:
    client, received = client_and_received
    response = await client.post("/dispatches", json={
        "subject": "V/v tổng kết CCHC", "issuer": "SỞ CÔNG THƯƠNG", "number": "123",
        "notation": "SCT-VP", "issued_on": "2024-02-06", "body": "Kính gửi: ...",
        "due_at": "2024-02-16T17:00:00+07:00",
    }, headers={"X-Correlation-ID": "upstream-42"})
    assert response.status_code == 202
    dispatch_id = response.json()["dispatch_id"]
    assert response.json()["status_url"] == f"{TRACKER}/dispatches/{dispatch_id}"
    [event] = received
    assert event.dispatch_id == dispatch_id and event.correlation_id == "upstream-42"
    assert event.body_chars == len("Kính gửi: ...") and event.notation == "SCT-VP"
    assert event.due_at is not None and event.due_at.hour == 10  # 17:00 +07:00 in UTC


@pytest.mark.parametrize(("payload", "field"), [
    ({"subject": "x", "priority": "urgent"}, "priority"),
    ({"subject": ""}, "subject"),
    ({"issuer": "SỞ CÔNG THƯƠNG"}, "subject"),
    ({"subject": "x", "due_at": "2024-02-16T17:00:00"}, "due_at"),
    ({"subject": "x", "issued_on": "16/02/2024"}, "issued_on"),
])
async def test_bad_input_is_refused_naming_the_field(
    client_and_received: Any, payload: dict[str, Any], field: str
) -> None:
    client, received = client_and_received
    response = await client.post("/dispatches", json=payload)
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])
    assert received == []


async def test_kafka_unavailable_gives_503_never_202(
    client_and_received: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, received = client_and_received

    async def refuse(*_: Any, **__: Any) -> None:
        raise KafkaConnectionError("broker down")

    from faststream.kafka.publisher.usecase import DefaultPublisher

    monkeypatch.setattr(DefaultPublisher, "publish", refuse)
    response = await client.post("/dispatches", json={"subject": "V/v x"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert received == []
