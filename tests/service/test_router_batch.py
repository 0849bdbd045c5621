"""The router works a batch of received dispatches as a batch: the stored bodies it needs read
together, one insert of every decision, then every DispatchAssigned handed to the producer before
any acknowledgement is awaited. A redelivered batch changes nothing and publishes the same event
ids; a copy within a batch is routed once. On real FerretDB, the unordered insert keeps a
dispatch's first decision and still inserts the others."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest

from services.router.handlers import RouterHandlers
from services.router.repository import RoutingRepository
from services.router.rules import load_rules
from shared import topics
from shared.clock import SystemClock
from shared.events import DispatchAssigned, DispatchReceived
from shared.organisation import load_organisation
from tests.service.fakes import InMemoryRoutingRepository
from tests.service.twice import fresh_database, real

CONFIG = Path(__file__).resolve().parents[2] / "config"
BODY = "Đề nghị Sở rà soát tình hình cung ứng điện trên địa bàn và báo cáo trước ngày 16/02/2024."


class Broker:
    """Records what is handed over, and when, relative to the repository's writes."""

    def __init__(self, journal: list[str]) -> None:
        self.sent: list[DispatchAssigned] = []
        self.journal = journal

    async def publish(self, event: Any, *, topic: str, key: bytes,
                      no_confirm: bool) -> asyncio.Future[object]:
        assert no_confirm and topic == topics.DISPATCH_ASSIGNED
        assert key == event.dispatch_id.encode()
        self.sent.append(event)
        self.journal.append("send")
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(self._ack, future)
        return future

    def _ack(self, future: asyncio.Future[object]) -> None:
        self.journal.append("ack")
        future.set_result(None)


class Repo(InMemoryRoutingRepository):
    def __init__(self, journal: list[str]) -> None:
        super().__init__()
        self.journal = journal
        self.reading = self.most_reading = 0

    async def stored_body(self, blob_id: str) -> bytes | None:
        self.reading += 1
        self.most_reading = max(self.most_reading, self.reading)
        await asyncio.sleep(0.01)
        self.reading -= 1
        return await super().stored_body(blob_id)

    async def record_decisions(self, decisions: list[tuple[Any, str]]) -> None:
        self.journal.append(f"insert {len(decisions)}")
        await super().record_decisions(decisions)


def _letter(**fields: Any) -> DispatchReceived:
    did = str(uuid.uuid4())
    return DispatchReceived(dispatch_id=did, correlation_id=did, source_system="demo",
                            issuer="BỘ CÔNG THƯƠNG", subject="V/v báo cáo mùa khô", **fields)


def _handlers(repo: Repo, broker: Broker) -> RouterHandlers:
    org = load_organisation(CONFIG / "organisation.sample.yaml")
    return RouterHandlers(broker, repo, org, load_rules(CONFIG / "routing-rules.yaml", org),  # type: ignore[arg-type]
                          SystemClock())


async def test_a_batch_is_read_decided_inserted_then_published_together() -> None:
    journal: list[str] = []
    repo, broker = Repo(journal), Broker(journal)
    letters = [_letter(body_ref=f"blob-{n}") for n in range(5)] + [_letter() for _ in range(3)]
    repo.bodies.update({f"blob-{n}": BODY.encode() for n in range(5)})
    handlers = _handlers(repo, broker)

    await handlers.on_received([*letters, letters[0]])  # the first one twice in the batch

    assert repo.most_reading == 5, "the stored bodies are read concurrently"
    assert journal == ["insert 8", *["send"] * 8, *["ack"] * 8]
    assert [e.dispatch_id for e in broker.sent] == [letter.dispatch_id for letter in letters]
    assert {e.rule_id for e in broker.sent[:5]} == {"nang-luong-dien-luc"}
    first = {e.dispatch_id: (e.event_id, e.rule_id) for e in broker.sent}

    repo.bodies.clear()  # a redelivery keeps the first decision whatever it would decide now
    kept = {d: doc["decision"] for d, doc in repo.docs.items()}
    await handlers.on_received(letters)
    assert {d: doc["decision"] for d, doc in repo.docs.items()} == kept
    assert {e.event_id for e in broker.sent[8:]} == {event_id for event_id, _ in first.values()}


@pytest.mark.infra
async def test_the_decisions_insert_keeps_the_first_and_inserts_the_rest(infra: Any) -> None:
    journal: list[str] = []
    async with fresh_database(real(infra)) as db:
        repo = RoutingRepository(db)
        broker = Broker(journal)
        handlers = _handlers(repo, broker)  # type: ignore[arg-type]
        early, late = _letter(), [_letter() for _ in range(4)]
        await handlers.on_received([early])
        before = await repo.routing.find_one({"_id": early.dispatch_id})
        await handlers.on_received([*late[:2], early, *late[2:]])
        assert await repo.routing.count_documents({}) == 5
        assert await repo.routing.find_one({"_id": early.dispatch_id}) == before
        assert len({e.event_id for e in broker.sent}) == 5 and len(broker.sent) == 6
