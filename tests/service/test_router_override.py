"""Leadership overrides a routing decision: it wins, moves the lead, and a bad order is refused."""

from __future__ import annotations

import uuid
from typing import Any

from faststream.kafka import KafkaBroker, TestKafkaBroker

from shared import topics
from shared.events import AssignmentOverridden, DispatchReassigned, DispatchReceived
from tests.service.fakes import sample_router


async def test_leadership_override_wins_and_a_bad_one_is_dead_lettered() -> None:
    broker = KafkaBroker("127.0.0.1:9")
    repo = sample_router(broker)
    moved: list[DispatchReassigned] = []
    dead: list[dict[str, Any]] = []

    @broker.subscriber(topics.DISPATCH_REASSIGNED)
    async def collect(event: DispatchReassigned) -> None:
        moved.append(event)

    @broker.subscriber(topics.DEAD_LETTER)
    async def collect_dead(body: dict[str, Any]) -> None:
        dead.append(body)

    did = str(uuid.uuid4())
    order = AssignmentOverridden(dispatch_id=did, correlation_id=did, lead_unit="QLNL",
                                 coordinating_units=["KHTC"], decided_by="Giám đốc",
                                 reason="Giao Phòng Quản lý Năng lượng chủ trì")
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(DispatchReceived(
            dispatch_id=did, correlation_id=did, source_system="demo",
            subject="V/v đề nghị cung cấp số liệu thống kê"), topic=topics.DISPATCH_RECEIVED)
        await test_broker.publish(order, topic=topics.ASSIGNMENT_OVERRIDDEN)
        await test_broker.publish(order, topic=topics.ASSIGNMENT_OVERRIDDEN)  # redelivered
        wrong = order.model_copy(update={"event_id": str(uuid.uuid4()), "lead_unit": "XYZ"})
        await test_broker.publish(wrong, topic=topics.ASSIGNMENT_OVERRIDDEN)

    assert [(m.assignment.unit_code, m.assignment.role.value, m.from_unit) for m in moved] == [
        ("QLNL", "lead", "VP"), ("KHTC", "coordinating", None)]
    assert moved[0].chain[-1].action == "override" and "Giám đốc" in moved[0].reason
    decision, hops, _, _ = await repo.state(did)
    assert [a.unit_code for a in decision.leads] == ["QLNL"] and len(hops) == 1
    [letter] = dead
    assert "XYZ" in letter["reason"]
