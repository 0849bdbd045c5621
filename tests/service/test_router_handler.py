"""The router's handlers through a broker: the same test body in memory and on real Kafka.

Routing letter 2, then a decline → transfer → decline chain that must end in ResponsibilityDisputed.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker

from services.router.handlers import RouterHandlers, register
from services.router.rules import load_rules
from services.router.settings import RouterSettings
from shared import topics
from shared.clock import SystemClock
from shared.events import (
    AssignmentRole,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    ResponseAction,
    ResponsibilityDisputed,
    StatedDeadline,
    UnitResponded,
)
from shared.kafka import ensure_topics
from shared.organisation import load_organisation
from tests.service.fakes import InMemoryRoutingRepository

CONFIG = Path(__file__).resolve().parents[2] / "config"


async def _eventually(predicate: Any, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def _route_then_bounce(bootstrap: str, with_real: bool) -> None:
    settings = RouterSettings(kafka_bootstrap_servers=bootstrap)
    org = load_organisation(CONFIG / "organisation.sample.yaml")
    broker = KafkaBroker(bootstrap)
    register(broker, settings, RouterHandlers(broker, InMemoryRoutingRepository(), org,  # type: ignore[arg-type]
                                              load_rules(CONFIG / "routing-rules.yaml", org),
                                              SystemClock()))
    seen: dict[str, list[Any]] = {"assigned": [], "moved": [], "disputed": [], "dead": []}
    group = f"test-{uuid.uuid4().hex[:8]}"
    models: dict[str, Any] = {"assigned": DispatchAssigned, "moved": DispatchReassigned,
                              "disputed": ResponsibilityDisputed, "dead": None}
    for topic, name in ((topics.DISPATCH_ASSIGNED, "assigned"),
                        (topics.DISPATCH_REASSIGNED, "moved"),
                        (topics.DISPATCH_DISPUTED, "disputed"), (topics.DEAD_LETTER, "dead")):
        def collector(name: str = name) -> Any:
            async def collect(body: dict[str, Any]) -> None:
                model = models[name]
                seen[name].append(model.model_validate(body) if model else body)
            return collect
        broker.subscriber(topic, group_id=group, auto_offset_reset="earliest")(collector())
    if with_real:
        await ensure_topics(settings)
    did = str(uuid.uuid4())
    letter = DispatchReceived(
        dispatch_id=did, correlation_id=did, source_system="demo", issuer="SỞ CÔNG THƯƠNG",
        subject="V/v tổ chức tổng kết công tác cải cách hành chính năm 2023",
        recipients=["Các phòng, đơn vị thuộc Sở"], notation="SCT-VP",
        deadlines=[StatedDeadline(date="2024-02-16", what="gửi báo cáo về Văn phòng Sở",
                                  who="Các phòng, đơn vị")])

    def answer(unit: str, action: ResponseAction, to: str | None,
               role: AssignmentRole | None) -> UnitResponded:
        return UnitResponded(dispatch_id=did, correlation_id=did, unit_code=unit, action=action,
                             transfer_to=to, note="không thuộc chức năng", responded_by=unit,
                             role=role)

    mine = lambda bucket: [e for e in seen[bucket] if getattr(e, "dispatch_id", None) == did]  # noqa: E731
    async with TestKafkaBroker(broker, with_real=with_real) as test_broker:
        await test_broker.publish(letter, topic=topics.DISPATCH_RECEIVED, key=did.encode())
        await test_broker.publish(b"{not json", topic=topics.DISPATCH_RECEIVED, key=did.encode())
        await _eventually(lambda: mine("assigned"))
        for unit, action, to, role in (
                ("QLTM", ResponseAction.DECLINE, "QLCN", AssignmentRole.COORDINATING),
                ("QLCN", ResponseAction.TRANSFER, "QLNL", None),
                ("QLNL", ResponseAction.DECLINE, "QLTM", AssignmentRole.LEAD)):
            await test_broker.publish(answer(unit, action, to, role),
                                      topic=topics.UNIT_RESPONDED, key=did.encode())
        await _eventually(lambda: mine("disputed"))
        await _eventually(lambda: any(d.get("key") == did for d in seen["dead"]))

    [assigned] = mine("assigned")
    assert len(assigned.assignments) == 7
    assert {a.due_at.date().isoformat() for a in assigned.assignments} == {"2024-02-16"}
    assert [m.assignment.unit_code for m in mine("moved")] == ["QLCN", "QLNL"]
    # a phối hợp part passed on stays phối hợp; a part whose role is not said is led
    assert [m.assignment.role for m in mine("moved")] == [AssignmentRole.COORDINATING,
                                                          AssignmentRole.LEAD]
    [dispute] = mine("disputed")
    assert [(h.from_unit, h.to_unit) for h in dispute.chain] == [
        ("QLTM", "QLCN"), ("QLCN", "QLNL"), ("QLNL", "QLTM")]
    assert {"QLTM", "QLCN", "QLNL"} <= set(dispute.units) and "đùn đẩy" in dispute.reason


async def test_router_in_memory() -> None:
    await _route_then_bounce("127.0.0.1:9", with_real=False)


@pytest.mark.infra
async def test_router_on_real_kafka(infra: Any) -> None:
    await _route_then_bounce(infra.kafka_bootstrap, with_real=True)
