"""Withdrawn dispatches (issue 19): each unit that held it is told at once, its head in copy, once
per key; a replacement points to the new document. Urgent dispatches lead their notices' subjects."""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifier.escalation import plan_notifications
from services.notifier.failures import describe_key
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.withdrawal_notices import outgoings
from shared.events_withdrawal import DispatchWithdrawn
from tests.unit.notifier.factories import sample_directory, signal

AT = datetime(2024, 3, 4, 2, tzinfo=UTC)  # 09:00 Monday 04/03/2024 in Vietnam


def withdrawn(business: str = "revoke", units: tuple[str, ...] = ("QLTM",)) -> DispatchWithdrawn:
    return DispatchWithdrawn(
        correlation_id="d-old", occurred_at=AT, dispatch_id="d-old", document_id="H53,2024/02/05,45",
        business=business, by_dispatch_id="d-new", by_subject="V/v thu hồi Công văn số 45/SCT-VP",
        reason="Ban hành nhầm\n<b>đối tượng</b>", subject="V/v kiểm tra thị trường", number="45",
        notation="SCT-VP", units=list(units))


def test_a_revoke_tells_every_unit_that_held_it_with_its_head_in_copy() -> None:
    sent = outgoings(withdrawn(units=("QLTM", "QLCN")), sample_directory(), "http://tracker/")
    by_unit = {o.message.data["unit_code"] for o in sent}
    assert by_unit == {"QLTM", "QLCN"}
    first = sent[0]
    assert [(o.keys, o.message.data["cc"]) for o in sent if o.message.data["unit_code"] == "QLTM"] == [
        (("d-old/QLTM/withdrawn/unit:QLTM/email",), False),
        (("d-old/QLTM/withdrawn/unit:QLTM/webhook",), False),  # the unit's channels, in order
        (("d-old/QLTM/withdrawn/head:QLTM/email",), True)]
    message = first.message
    assert message.subject == "[Vanthu] Văn bản đã bị thu hồi: số 45/SCT-VP - QLTM"
    assert "Đề nghị đơn vị dừng xử lý văn bản này." in message.text
    assert "Văn bản thu hồi: thu hồi Công văn số 45/SCT-VP (nhận lúc 09:00 ngày 04/03/2024)" in message.text
    assert "http://tracker/desk/dispatches/d-old" in message.text and "d-new" not in message.text
    assert "<b>đối tượng</b>" not in message.html and "&lt;b&gt;đối tượng&lt;/b&gt;" in message.html
    info = describe_key(first.keys[0])
    assert (info.dispatch_id, info.unit_code, info.kind) == ("d-old", "QLTM", "withdrawn")


def test_a_replacement_points_to_the_new_document() -> None:
    to = outgoings(withdrawn("replace"), sample_directory(), "http://tracker/")[0]
    assert to.message.subject.startswith("[Vanthu] Văn bản đã được thay thế:")
    assert "xử lý theo văn bản mới" in to.message.text
    assert "Văn bản mới: http://tracker/desk/dispatches/d-new" in to.message.text


def test_an_urgent_dispatch_leads_the_subject_with_its_urgency() -> None:
    renderer = MessageRenderer("http://tracker/", load_policy().letter)
    directory, policy = sample_directory(), load_policy()
    [express] = plan_notifications(signal("overdue", urgency="express"), policy, directory)
    assert renderer.subject([express]).startswith("[HỎA TỐC] [Vanthu] Quá hạn xử lý (mức 1)")
    [plain] = plan_notifications(signal("overdue"), policy, directory)
    assert renderer.subject([plain]).startswith("[Vanthu] Quá hạn xử lý")
    [urgent] = plan_notifications(signal("overdue", urgency="urgent", dispatch_id="d2"), policy,
                                  directory)
    assert renderer.subject([plain, urgent]).startswith("[KHẨN] [Vanthu] 2 thông báo")
    [normal] = plan_notifications(signal("overdue", urgency="normal"), policy, directory)
    assert renderer.subject([normal]).startswith("[Vanthu]")
