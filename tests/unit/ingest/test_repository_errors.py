"""The repository keeps the driver to itself: what admission calls turns a MongoDB outage into
``StoreUnavailable`` (a real driver error, from a client pointed at a port nobody listens on)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from pymongo import AsyncMongoClient

from services.ingest.repository import IngestRepository, StoreUnavailable
from tools.infra.paths import free_port


@pytest.fixture
async def unreachable() -> AsyncIterator[IngestRepository]:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        f"mongodb://127.0.0.1:{free_port()}", serverSelectionTimeoutMS=200, connectTimeoutMS=200)
    try:
        yield IngestRepository(client["vanthu"])
    finally:
        await client.close()


async def test_admissions_calls_raise_store_unavailable_not_the_drivers_error(
    unreachable: IngestRepository,
) -> None:
    repo = unreachable
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: repo.find_key(["req:s:f"]), lambda: repo.reserve(["req:s:f"], "d1", "{}", "f"),
        lambda: repo.release(["req:s:f"], "d1"),
        lambda: repo.record_published({"d1": {"source_system": "s"}}),
        lambda: repo.store_blob(b"x", "body.txt", "text/plain")]
    for call in calls:
        with pytest.raises(StoreUnavailable) as caught:
            await call()
        assert "ServerSelectionTimeoutError" in str(caught.value)
