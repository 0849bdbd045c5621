"""The router consumes DispatchCorrected (issue 18): a corrected issuer that changes the rule
re-routes the dispatch once (a redelivery changes nothing); a confirmation or a field routing does
not read leaves it where it is."""

from __future__ import annotations

import uuid

from faststream.kafka import KafkaBroker, TestKafkaBroker

from shared import topics
from shared.events import DispatchReassigned, DispatchReceived
from shared.events_corrections import DispatchCorrected
from tests.service.fakes import sample_router


async def test_a_corrected_issuer_re_routes_once_and_other_reviews_do_not() -> None:
    broker = KafkaBroker("127.0.0.1:9")
    repo = sample_router(broker)
    moved: list[DispatchReassigned] = []

    @broker.subscriber(topics.DISPATCH_REASSIGNED)
    async def collect(event: DispatchReassigned) -> None:
        moved.append(event)

    did = str(uuid.uuid4())
    read = DispatchReceived(dispatch_id=did, correlation_id=did, source_system="portal",
                            subject="Cung cấp thông tin phục vụ tổng hợp",
                            issuer="BAN QUẢN LÝ DỰ ÁN", notation="SCT-QLTM")
    right = read.model_copy(update={"issuer": "SỞ CÔNG THƯƠNG", "event_id": str(uuid.uuid4())})
    corrected = DispatchCorrected(correlation_id=did, dispatch_id=did, field="issuer",
                                  review="corrected", before=read.issuer, after=right.issuer,
                                  corrected_by="Giám đốc", corrected=right)
    confirmed = DispatchCorrected(correlation_id=did, dispatch_id=did, field="notation",
                                  review="confirmed", before="SCT-QLTM", after="SCT-QLTM",
                                  corrected_by="Giám đốc")
    signer = DispatchCorrected(correlation_id=did, dispatch_id=did, field="signer_name",
                               review="corrected", before="A", after="B", corrected_by="Giám đốc",
                               corrected=right.model_copy(update={"signer_name": "B"}))
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(read, topic=topics.DISPATCH_RECEIVED)
        for event in (confirmed, signer, corrected, corrected):  # the last one redelivered
            await test_broker.publish(event, topic=topics.DISPATCH_CORRECTED)

    assert [(m.from_unit, m.assignment.unit_code, m.assignment.role.value) for m in moved] == [
        ("VP", "QLTM", "lead")]
    assert moved[0].chain[-1].action == "override"
    assert moved[0].reason.startswith("Định tuyến lại sau khi Văn phòng sửa Cơ quan ban hành")
    decision, hops, applied, _ = await repo.state(did)
    assert [a.unit_code for a in decision.leads] == ["QLTM"] and len(hops) == 1
    assert applied == [corrected.event_id]
