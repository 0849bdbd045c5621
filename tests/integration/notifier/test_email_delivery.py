"""Escalation by email through a real SMTP server: recipients per level, MIME parts, .docx, once only."""

from __future__ import annotations

import io

import docx
import pytest

from services.notifier.channels.email import EmailChannel, SmtpConfig
from services.notifier.delivery import DeliveryService, InMemoryDeliveryLog, RetryPolicy
from services.notifier.escalation import Signal, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from tests.integration.notifier.conftest import MailSink
from tests.unit.notifier.factories import disputed, sample_directory, signal

POLICY = load_policy()


def _service(sink: MailSink, log: InMemoryDeliveryLog | None = None) -> DeliveryService:
    channel = EmailChannel(SmtpConfig(host="127.0.0.1", port=sink.port, timeout_s=5))
    return DeliveryService({"email": channel}, log or InMemoryDeliveryLog(),
                           MessageRenderer("http://tracker", POLICY.letter),
                           RetryPolicy(max_attempts=3, base_delay_s=0.01))


async def _escalate(sink: MailSink, sig: Signal, log: InMemoryDeliveryLog | None = None) -> None:
    plans = [p for p in plan_notifications(sig, POLICY, sample_directory()) if p.channel == "email"]
    results = await _service(sink, log).notify_each(plans)
    assert {r.status for r in results} <= {"delivered", "duplicate"}


@pytest.mark.parametrize(("kind", "level", "mailboxes"), [
    ("unacknowledged", 1, {"qltm.mai@sct.example.gov.vn"}),
    ("approaching", 1, {"qltm@sct.example.gov.vn"}),
    ("overdue", 1, {"qltm.mai@sct.example.gov.vn"}),
    ("overdue", 2, {"vanphong@sct.example.gov.vn"}),
    ("overdue", 3, {"pgd.lan@sct.example.gov.vn", "giamdoc@sct.example.gov.vn"}),
])
async def test_each_level_reaches_exactly_the_mailboxes_of_the_policy(
        smtp_server: MailSink, kind: str, level: int, mailboxes: set[str]) -> None:
    await _escalate(smtp_server, signal(kind, level=level))
    envelopes = [rcpt for rcpt, _, _ in smtp_server.messages()]
    assert all(len(r) == 1 for r in envelopes) and {r[0] for r in envelopes} == mailboxes
    assert len(envelopes) == len(mailboxes)


async def test_level_3_email_is_multipart_with_an_encoded_vietnamese_subject_and_the_letter(
        smtp_server: MailSink) -> None:
    await _escalate(smtp_server, signal("overdue", unit="QLTM", level=3))
    by_rcpt = {rcpt[0]: (raw, msg) for rcpt, raw, msg in smtp_server.messages()}
    raw, msg = by_rcpt["pgd.lan@sct.example.gov.vn"]
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?" in headers  # RFC 2047 encoded words
    assert msg["Subject"] == "[Vanthu] Quá hạn xử lý (mức 3): số 123/UBND-KT - QLTM"
    assert "Hoàng Thị Lan" in msg["To"] and "giamdoc@sct.example.gov.vn" in msg["Cc"]
    assert msg.get_content_type() == "multipart/mixed"
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    assert "đã quá hạn 2 ngày 3 giờ" in text.get_content() and "<a href=" in html.get_content()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "du-thao-cong-van-don-doc-123-UBND-KT.docx"
    letter = docx.Document(io.BytesIO(attachment.get_content()))
    text_of_letter = "\n".join([p.text for p in letter.paragraphs] + [
        c.text for t in letter.tables for row in t.rows for c in row.cells])
    assert "số 123/UBND-KT" in text_of_letter and "Kính gửi: Phòng Quản lý Thương mại." in text_of_letter
    _, cc_copy = by_rcpt["giamdoc@sct.example.gov.vn"]
    assert "(đồng gửi để biết)" in cc_copy.get_body(("plain",)).get_content()  # type: ignore[union-attr]


async def test_lower_levels_carry_no_attachment(smtp_server: MailSink) -> None:
    await _escalate(smtp_server, signal("overdue", level=1))
    [(_, _, msg)] = smtp_server.messages()
    assert msg.get_content_type() == "multipart/alternative" and not list(msg.iter_attachments())


async def test_a_duplicate_event_sends_nothing_new(smtp_server: MailSink) -> None:
    log = InMemoryDeliveryLog()
    await _escalate(smtp_server, signal("overdue", level=3), log)
    await _escalate(smtp_server, signal("overdue", level=3), log)  # redelivered: new event id
    assert len(smtp_server.received) == 2


async def test_a_dispute_reaches_the_office_and_the_deputies(smtp_server: MailSink) -> None:
    await _escalate(smtp_server, disputed())
    assert {r[0] for r, _, _ in smtp_server.messages()} == {
        "vanphong@sct.example.gov.vn", "pgd.duc@sct.example.gov.vn", "pgd.lan@sct.example.gov.vn"}


async def test_smtp_4xx_is_retried_and_5xx_is_dead_lettered(smtp_server: MailSink) -> None:
    smtp_server.replies = ["451 4.3.0 Try again later"]
    [plan] = plan_notifications(signal("overdue"), POLICY, sample_directory())
    assert (await _service(smtp_server).notify([plan])).attempts == 2
    assert len(smtp_server.received) == 1
    smtp_server.replies = ["554 5.7.1 Rejected"]
    [plan] = plan_notifications(signal("overdue", dispatch_id="cv-9"), POLICY, sample_directory())
    result = await _service(smtp_server).notify([plan])
    assert result.status == "dead_letter" and result.dead_letter and "SMTP 554" in result.dead_letter.reason


async def test_an_unreachable_server_is_a_temporary_failure() -> None:
    [plan] = plan_notifications(signal("overdue"), POLICY, sample_directory())
    result = await _service(MailSink(port=1)).notify([plan])
    assert result.attempts == 3 and result.dead_letter and "unreachable" in result.dead_letter.reason
