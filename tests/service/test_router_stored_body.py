"""A letter whose body travels by reference (``body_ref``) is routed on that body, through the
router's handlers on an in-memory broker; a body that cannot be read goes to the Office's triage."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.router.handlers import RouterHandlers, register
from services.router.rules import load_rules
from services.router.settings import RouterSettings
from shared import topics
from shared.clock import SystemClock
from shared.events import DispatchAssigned, DispatchReceived
from shared.organisation import load_organisation
from tests.service.fakes import InMemoryRoutingRepository

CONFIG = Path(__file__).resolve().parents[2] / "config"
SUBJECT = "V/v đề nghị rà soát, báo cáo tình hình mùa khô năm 2024"
BODY = ("Kính gửi: Sở Công Thương.\r\n"  # CRLF: an inline body becomes LF when validated
        "Để chuẩn bị cho mùa khô, đề nghị Sở rà soát tình hình cung ứng điện trên địa bàn\r\n"
        "và gửi báo cáo trước ngày 16/02/2024.")


def _letter(**fields: Any) -> DispatchReceived:
    did = str(uuid.uuid4())
    return DispatchReceived(dispatch_id=did, correlation_id=did, source_system="demo",
                            issuer="BỘ CÔNG THƯƠNG", subject=SUBJECT, **fields)


async def _route(letters: list[DispatchReceived], bodies: dict[str, bytes]
                 ) -> dict[str, DispatchAssigned]:
    """Publish ``letters`` in memory; the assignment the router published for each, by id."""
    org = load_organisation(CONFIG / "organisation.sample.yaml")
    repo = InMemoryRoutingRepository()
    repo.bodies.update(bodies)
    broker = KafkaBroker("127.0.0.1:9")
    register(broker, RouterSettings(), RouterHandlers(
        broker, repo, org, load_rules(CONFIG / "routing-rules.yaml", org),  # type: ignore[arg-type]
        SystemClock()))
    seen: dict[str, DispatchAssigned] = {}

    @broker.subscriber(topics.DISPATCH_ASSIGNED, group_id="test")
    async def collect(body: dict[str, Any]) -> None:
        event = DispatchAssigned.model_validate(body)
        seen[event.dispatch_id] = event

    async with TestKafkaBroker(broker) as test_broker:
        for letter in letters:
            await test_broker.publish(letter, topic=topics.DISPATCH_RECEIVED,
                                      key=letter.dispatch_id.encode())
        for _ in range(200):
            if len(seen) == len(letters):
                break
            await asyncio.sleep(0.05)
    assert set(seen) == {letter.dispatch_id for letter in letters}
    return seen


def _shares(event: DispatchAssigned) -> list[tuple[str, str, str]]:
    return [(a.unit_code, a.role.value, a.due_at.isoformat()) for a in event.assignments]


async def test_a_body_by_reference_is_routed_as_if_it_had_come_inline() -> None:
    inline = _letter(body=BODY, body_chars=len(BODY))
    by_ref = _letter(body_ref="blob-1")
    headless = _letter()  # what the router did before: the header alone
    seen = await _route([inline, by_ref, headless], {"blob-1": BODY.encode()})

    first, second = seen[inline.dispatch_id], seen[by_ref.dispatch_id]
    assert first.rule_id == "nang-luong-dien-luc" and _shares(first)[0][:2] == ("QLNL", "lead")
    assert (second.rule_id, _shares(second), second.reason) == (
        first.rule_id, _shares(first), first.reason)
    assert "cung ứng điện" in second.reason
    assert seen[headless.dispatch_id].rule_id == "triage", "the sentence is only in the body"


async def test_a_missing_or_unreadable_stored_body_goes_to_office_triage_with_the_reason() -> None:
    missing = _letter(body_ref="blob-gone")
    garbled = _letter(body_ref="blob-latin1")
    seen = await _route([missing, garbled], {"blob-latin1": BODY.encode("cp1258", "replace")
                                             + b"\xff\xfe"})

    for letter, why in ((missing, "không tìm thấy nội dung"), (garbled, "không phải văn bản UTF-8")):
        event = seen[letter.dispatch_id]
        [share] = event.assignments
        assert (event.rule_id, share.unit_code, share.role.value) == ("triage", "VP", "lead")
        assert "Không đọc được nội dung văn bản" in event.reason and why in event.reason
        assert letter.body_ref is not None and letter.body_ref in event.reason
        assert "không đọc được" in share.task
