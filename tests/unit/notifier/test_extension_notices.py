"""Extension notices: a request reaches the Office and the deputy in charge at once; the decision,
approved or refused, reaches the unit (its head in copy) with the deadline that now holds; each
once; an unknown unit is dead-lettered."""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifier.extension_handler import ExtensionNotices
from services.notifier.extension_notices import outgoings, recipients
from services.notifier.failures import describe_key
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from tests.unit.notifier.factories import DUE, SUBJECT, sample_directory
from tests.unit.notifier.immediate import immediate

AT = datetime(2024, 2, 14, 2, tzinfo=UTC)  # 09:00 Wednesday 14/02/2024 in Vietnam
NEW = datetime(2024, 2, 21, 10, tzinfo=UTC)  # 17:00 Wednesday 21/02/2024


def requested(unit: str = "QLTM") -> ExtensionRequested:
    return ExtensionRequested(correlation_id="d1", occurred_at=AT, request_id="r1",
                              dispatch_id="d1", unit_code=unit, subject=SUBJECT,
                              current_due_at=DUE, new_due_at=NEW, requested_by="nva",
                              reason="Chờ số liệu của các huyện\n<b>gấp</b>")


def decided(approved: bool) -> ExtensionDecided:
    return ExtensionDecided(correlation_id="d1", occurred_at=AT, request_id="r1",
                            dispatch_id="d1", unit_code="QLTM", approved=approved,
                            subject=SUBJECT, current_due_at=DUE, new_due_at=NEW,
                            note="Hạn do UBND tỉnh đặt", decided_by="director")


def test_a_request_goes_to_the_office_and_the_deputy_in_charge() -> None:
    to, cc = recipients(requested(), sample_directory())
    assert [c.id for c in to] == ["unit:VP", "deputy:PGD3"] and cc == ()
    sent = outgoings(requested(), sample_directory(), "http://tracker/")
    deputy = next(o for o in sent if o.recipient.id == "deputy:PGD3")
    assert deputy.keys == ("d1/QLTM/r1/extension/deputy:PGD3/email",)
    text = deputy.message.text
    assert deputy.message.subject == "[Vanthu] Đơn vị xin gia hạn, chờ quyết định: mã d1 - QLTM"
    assert "Hạn xử lý hiện tại: 17:00 ngày 16/02/2024" in text
    assert "Xin gia hạn đến: 17:00 ngày 21/02/2024" in text
    assert "Chờ số liệu của các huyện" in text and "http://tracker/dashboard/extensions" in text
    assert "&lt;b&gt;gấp&lt;/b&gt;" in deputy.message.html
    info = describe_key(deputy.keys[0])
    assert (info.dispatch_id, info.unit_code, info.kind) == ("d1", "QLTM", "extension")


def test_a_refusal_tells_the_unit_its_deadline_stands() -> None:
    sent = outgoings(decided(False), sample_directory(), "http://tracker")
    unit = next(o for o in sent if o.recipient.id == "unit:QLTM")
    assert unit.message.subject.startswith("[Vanthu] Lãnh đạo Sở không đồng ý gia hạn")
    assert "Hạn xử lý áp dụng: 17:00 ngày 16/02/2024" in unit.message.text
    assert "Hạn do UBND tỉnh đặt" in unit.message.text
    assert "http://tracker/desk/dispatches/d1/extensions" in unit.message.text
    head = next(o for o in sent if o.recipient.id == "head:QLTM")
    assert "đồng gửi để biết" in head.message.text
    assert describe_key(head.keys[0]).kind == "extension_decision"


def test_an_approval_tells_the_unit_the_new_deadline() -> None:
    [unit] = [o for o in outgoings(decided(True), sample_directory(), "http://t")
              if o.recipient.id == "unit:QLTM" and o.channel == "email"]
    assert "Hạn xử lý áp dụng: 17:00 ngày 21/02/2024" in unit.message.text
    assert unit.message.data["approved"] is True


async def test_each_notice_is_sent_once_and_an_unknown_unit_is_dead_lettered() -> None:
    notices, spy, letters = immediate(ExtensionNotices)
    assert {r.status for r in await notices.on_events([decided(False)])} == {"delivered"}
    count = len(spy.delivered)
    assert count == len(outgoings(decided(False), sample_directory(), "http://t")) >= 2
    again = await notices.on_events([decided(False)])  # redelivered: nothing sent twice
    assert {r.status for r in again} == {"duplicate"} and len(spy.delivered) == count
    await notices.on_events([requested("NOPE")])
    assert letters and letters[0][0] == "d1" and "NOPE" in letters[0][1]
    assert len(spy.delivered) == count
