"""Blocker notices: a reported blocker reaches the Office and the deputy in charge at once, a
direction reaches the unit (its head in copy); each once; an unknown unit is dead-lettered."""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifier.blocker_handler import BlockerNotices
from services.notifier.blocker_notices import outgoings, recipients
from services.notifier.failures import describe_key
from shared.events_blockers import BlockerDirected, BlockerReported
from tests.unit.notifier.factories import DUE, SUBJECT, sample_directory
from tests.unit.notifier.immediate import immediate

AT = datetime(2024, 2, 15, 2, tzinfo=UTC)  # 09:00 Thursday 15/02/2024 in Vietnam


def reported(unit: str = "QLTM") -> BlockerReported:
    return BlockerReported(correlation_id="d1", occurred_at=AT, blocker_id="b1", dispatch_id="d1",
                           unit_code=unit, note="Thiếu số liệu của Sở Tài chính\n<b>gấp</b>",
                           reported_by="nva", reported_by_name="Nguyễn Văn A", subject=SUBJECT,
                           number="12", notation="SCT-VP", due_at=DUE)


def directed() -> BlockerDirected:
    return BlockerDirected(correlation_id="d1", occurred_at=datetime(2024, 2, 15, 5, tzinfo=UTC),
                           blocker_id="b1", dispatch_id="d1", unit_code="QLTM",
                           direction="Văn phòng mời Sở Tài chính họp ngay", directed_by="director",
                           reported_at=AT, waited_s=10800, waited_words="3 giờ",
                           note="Thiếu số liệu", subject=SUBJECT)


def test_a_blocker_goes_to_the_office_and_the_deputy_in_charge() -> None:
    to, cc = recipients(reported(), sample_directory())
    assert [c.id for c in to] == ["unit:VP", "deputy:PGD3"] and cc == ()
    sent = outgoings(reported(), sample_directory(), "http://tracker/")
    assert {o.recipient.id for o in sent} == {"unit:VP", "deputy:PGD3"}
    deputy = next(o for o in sent if o.recipient.id == "deputy:PGD3")
    assert deputy.keys == ("d1/QLTM/b1/blocker/deputy:PGD3/email",)
    message = deputy.message
    assert message.subject == ("[Vanthu] Đơn vị phản ánh vướng mắc, chờ chỉ đạo: "
                               "số 12/SCT-VP - QLTM")
    assert "Nguyễn Văn A, lúc 09:00 ngày 15/02/2024" in message.text
    assert "Thiếu số liệu của Sở Tài chính" in message.text
    assert "http://tracker/dashboard/blockers" in message.text
    assert "<b>gấp</b>" not in message.html and "&lt;b&gt;gấp&lt;/b&gt;" in message.html
    info = describe_key(deputy.keys[0])
    assert (info.dispatch_id, info.unit_code, info.kind, info.recipient_id) == (
        "d1", "QLTM", "blocker", "deputy:PGD3")


def test_a_direction_goes_to_the_unit_with_its_head_in_copy_and_tells_the_wait() -> None:
    to, cc = recipients(directed(), sample_directory())
    assert [c.id for c in to] == ["unit:QLTM"] and [c.id for c in cc] == ["head:QLTM"]
    sent = outgoings(directed(), sample_directory(), "http://tracker")
    unit = next(o for o in sent if o.recipient.id == "unit:QLTM")
    assert "Văn phòng mời Sở Tài chính họp ngay" in unit.message.text
    assert "sau 3 giờ chờ" in unit.message.text
    assert "http://tracker/desk/dispatches/d1/blockers" in unit.message.text
    head = next(o for o in sent if o.recipient.id == "head:QLTM")
    assert "đồng gửi để biết" in head.message.text and head.message.data["cc"] is True
    assert describe_key(head.keys[0]).kind == "direction"


async def test_each_notice_is_sent_once_and_an_unknown_unit_is_dead_lettered() -> None:
    notices, spy, letters = immediate(BlockerNotices)
    first = await notices.on_events([reported()])
    assert {r.status for r in first} == {"delivered"}
    count = len(spy.delivered)
    assert count == len(outgoings(reported(), sample_directory(), "http://t")) >= 2
    again = await notices.on_events([reported()])  # redelivered: nothing sent twice
    assert {r.status for r in again} == {"duplicate"} and len(spy.delivered) == count
    await notices.on_events([reported("NOPE")])
    assert letters and letters[0][0] == "d1" and "NOPE" in letters[0][1]
    assert len(spy.delivered) == count
