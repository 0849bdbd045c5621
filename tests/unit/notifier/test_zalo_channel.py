"""The Zalo channel's pure parts: the OA API request, the message text, and reading Zalo's answer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from services.notifier.channels.base import (
    FileAttachment,
    Outgoing,
    PermanentDeliveryError,
    RenderedMessage,
    TemporaryDeliveryError,
)
from services.notifier.channels.zalo import (
    CLIPPED,
    FOOTER,
    TEXT_LIMIT,
    ZaloConfig,
    check_answer,
    zalo_request,
    zalo_text,
)
from services.notifier.directory import Contact
from services.notifier.escalation import plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from tests.unit.notifier.factories import sample_directory, signal

CONFIG = ZaloConfig(api_base="https://openapi.zalo.me/", access_token=SecretStr("oa-token"))
HEAD = Contact(id="head:VP", name="Phạm Thị Hoa", title="Chánh Văn phòng", zalo_user_id="8401234567",
               channels=("zalo",))


def _overdue_message() -> RenderedMessage:
    [plan] = [p for p in plan_notifications(signal("overdue", level=1, unit="VP"), load_policy(),
                                            sample_directory()) if p.channel == "email"]
    return MessageRenderer("http://vanthu.local").render([plan])


def _outgoing(message: RenderedMessage, recipient: Contact = HEAD) -> Outgoing:
    return Outgoing(keys=("cv-0001/VP/overdue-L1/head:VP/zalo",), recipient=recipient,
                    channel="zalo", message=message)


def test_the_request_is_an_oa_text_message_with_the_token_in_its_header() -> None:
    request = zalo_request(_outgoing(_overdue_message()), CONFIG)
    assert request.url == "https://openapi.zalo.me/v3.0/oa/message/cs"
    assert request.headers["access_token"] == "oa-token"
    assert request.headers["Content-Type"].startswith("application/json")
    assert "Authorization" not in request.headers
    body = json.loads(request.body.decode("utf-8"))
    assert set(body) == {"recipient", "message"}
    assert body["recipient"] == {"user_id": "8401234567"} and set(body["message"]) == {"text"}


def test_the_text_is_the_email_s_subject_and_wording_without_the_mail_signature() -> None:
    message = _overdue_message()
    text = zalo_text(message)
    assert text.startswith(message.subject + "\n\nKính gửi: Chánh Văn phòng Phạm Thị Hoa")
    assert message.subject.startswith("[Vanthu] Quá hạn xử lý (mức 1): số 123/UBND-KT")
    assert "QUÁ HẠN XỬ LÝ (MỨC 1)" in text and "V/v báo cáo tình hình xuất khẩu quý I" in text
    assert "http://vanthu.local/dashboard/dispatches/cv-0001" in text
    assert "Vui lòng không trả lời thư này" not in text and text.endswith(FOOTER)
    assert message.text.split("\n--\n")[0].strip() in text


def test_a_long_text_is_clipped_at_a_line_to_zalo_s_limit_and_says_so() -> None:
    lines = [f"{n}. Văn bản số {n}/SCT-VP quá hạn xử lý, đề nghị đơn vị báo cáo." for n in range(200)]
    text = zalo_text(RenderedMessage("", "\n".join(lines) + "\n--\nThư tự động.", ""))
    assert len(text) <= TEXT_LIMIT and text.endswith(CLIPPED + "\n\n" + FOOTER)
    kept = text.removesuffix(CLIPPED + "\n\n" + FOOTER).split("\n")
    assert kept == lines[:len(kept)] and len(kept) > 20


def test_an_attachment_is_named_as_sent_by_email_only() -> None:
    message = RenderedMessage("s", "Kính gửi: Giám đốc\n\nNội dung.", "",
                              attachments=(FileAttachment("du-thao-cong-van.docx", b"x"),))
    assert "(Tệp đính kèm du-thao-cong-van.docx: gửi kèm thư điện tử, không gửi qua Zalo.)" \
        in zalo_text(message)


@given(st.text(max_size=1000), st.text(max_size=6000), st.lists(st.text(max_size=300), max_size=3))
def test_any_text_fits_the_limit(subject: str, text: str, names: list[str]) -> None:
    attachments = tuple(FileAttachment(n or "a", b"") for n in names)
    assert len(zalo_text(RenderedMessage(subject, text, "", attachments))) <= TEXT_LIMIT


def test_no_user_id_or_no_token_is_a_permanent_failure_saying_which() -> None:
    with pytest.raises(PermanentDeliveryError, match="head:VP has no zalo_user_id"):
        zalo_request(_outgoing(_overdue_message(), HEAD.model_copy(update={"zalo_user_id": None})),
                     CONFIG)
    with pytest.raises(PermanentDeliveryError, match="NOTIFIER_ZALO_ACCESS_TOKEN"):
        zalo_request(_outgoing(_overdue_message()), ZaloConfig())


def test_error_zero_is_delivered_with_zalo_s_message_id() -> None:
    answer = {"error": 0, "message": "Success", "data": {"message_id": "abc", "user_id": "1"}}
    assert check_answer(200, json.dumps(answer)) == "abc"


@pytest.mark.parametrize("code", [-216, -124])
def test_a_token_error_in_a_200_is_permanent_and_says_to_renew_the_token(code: int) -> None:
    with pytest.raises(PermanentDeliveryError, match=rf"access token \(error {code}: .*renew "
                                                     "NOTIFIER_ZALO_ACCESS_TOKEN"):
        check_answer(200, json.dumps({"error": code, "message": "Access token is invalid"}))


def test_other_zalo_errors_are_permanent_except_the_rate_limit() -> None:
    with pytest.raises(PermanentDeliveryError, match="Zalo OA error -213: User has not followed"):
        check_answer(200, b'{"error": -213, "message": "User has not followed OA"}')
    with pytest.raises(TemporaryDeliveryError, match="-32"):
        check_answer(200, b'{"error": -32, "message": "Exceed rate limit"}')


@pytest.mark.parametrize(("status", "body", "kind"), [
    (503, b"busy", TemporaryDeliveryError), (429, b"", TemporaryDeliveryError),
    (200, b"<html>proxy</html>", TemporaryDeliveryError), (200, b'{"message": "?"}', TemporaryDeliveryError),
    (200, b'{"error": "x"}', TemporaryDeliveryError), (404, b"empty api", PermanentDeliveryError),
    (401, b"", PermanentDeliveryError)])
def test_http_failures_are_retried_only_when_a_retry_can_help(
        status: int, body: bytes, kind: type[Exception]) -> None:
    with pytest.raises(kind):
        check_answer(status, body)


def test_retry_after_is_passed_on() -> None:
    with pytest.raises(TemporaryDeliveryError) as caught:
        check_answer(429, b"", retry_after="7")
    assert caught.value.retry_after_s == 7.0
