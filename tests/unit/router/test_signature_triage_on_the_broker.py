"""Through the router's handlers on an in-memory broker: a letter altered after signing goes to the
Office's triage with the reason; the same letter with an intact signature is routed by the rules."""

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
from shared.reading_parts import DocumentSignature, SignatureStatus
from tests.service.fakes import InMemoryRoutingRepository

CONFIG = Path(__file__).resolve().parents[3] / "config"
BODY = "Đề nghị Sở rà soát tình hình cung ứng điện trên địa bàn, báo cáo trước ngày 16/02/2024."


def _letter(status: SignatureStatus) -> DispatchReceived:
    did = str(uuid.uuid4())
    signature = DocumentSignature(status=status, signer="Nguyễn Văn A", organisation="Bộ Công Thương",
                                  reason="nội dung văn bản đã bị thay đổi sau khi ký"
                                  if status == SignatureStatus.INVALID else None)
    return DispatchReceived(dispatch_id=did, correlation_id=did, source_system="demo",
                            issuer="BỘ CÔNG THƯƠNG", subject="V/v tình hình mùa khô năm 2024",
                            body=BODY, body_chars=len(BODY), signature=signature)


async def test_an_altered_letter_goes_to_triage_and_an_intact_one_by_the_rules() -> None:
    org = load_organisation(CONFIG / "organisation.sample.yaml")
    broker = KafkaBroker("127.0.0.1:9")
    register(broker, RouterSettings(), RouterHandlers(
        broker, InMemoryRoutingRepository(), org,  # type: ignore[arg-type]
        load_rules(CONFIG / "routing-rules.yaml", org), SystemClock()))
    seen: dict[str, DispatchAssigned] = {}

    @broker.subscriber(topics.DISPATCH_ASSIGNED, group_id="test")
    async def collect(body: dict[str, Any]) -> None:
        event = DispatchAssigned.model_validate(body)
        seen[event.dispatch_id] = event

    altered, intact = _letter(SignatureStatus.INVALID), _letter(SignatureStatus.VALID)
    async with TestKafkaBroker(broker) as test_broker:
        for letter in (altered, intact):
            await test_broker.publish(letter, topic=topics.DISPATCH_RECEIVED,
                                      key=letter.dispatch_id.encode())
        for _ in range(200):
            if len(seen) == 2:
                break
            await asyncio.sleep(0.05)
    flagged = seen[altered.dispatch_id]
    assert flagged.rule_id == "triage" and [a.unit_code for a in flagged.assignments] == [org.office.code]
    assert "Chữ ký số không hợp lệ" in flagged.reason and "thay đổi sau khi ký" in flagged.reason
    assert seen[intact.dispatch_id].rule_id != "triage"
