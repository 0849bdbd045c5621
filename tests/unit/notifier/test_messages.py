"""Vietnamese messages from the templates, and the draft công văn đôn đốc (.docx)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import docx
import pytest

from services.notifier.escalation import PlannedNotification, Signal, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.wording import letter_date, strip_vv, vn_duration
from tests.unit.notifier.factories import disputed, sample_directory, signal

RENDERER = MessageRenderer("http://tracker.example:8002/", load_policy().letter)


def _plans(sig: Signal) -> list[PlannedNotification]:
    return plan_notifications(sig, load_policy(), sample_directory())


def docx_text(content: bytes) -> str:
    """All the text of a .docx, tables included."""
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize(("delta", "words"), [
    (timedelta(days=2, hours=3, minutes=5), "2 ngày 3 giờ"), (timedelta(days=1), "1 ngày"),
    (timedelta(hours=5, minutes=20), "5 giờ 20 phút"), (timedelta(minutes=45), "45 phút"),
    (timedelta(seconds=20), "dưới 1 phút"), (-timedelta(hours=2), "2 giờ"),
])
def test_durations_read_in_vietnamese(delta: timedelta, words: str) -> None:
    assert vn_duration(delta) == words


def test_decree_30_dates_and_subjects() -> None:
    assert letter_date("Mẫu", date(2024, 2, 5)) == "Mẫu, ngày 05 tháng 02 năm 2024"
    assert letter_date("Huế", date(2024, 11, 20)) == "Huế, ngày 20 tháng 11 năm 2024"
    assert strip_vv("V/v: tổng kết") == "tổng kết" and strip_vv(None) == "(không có trích yếu)"


def test_overdue_message_says_what_how_late_which_unit_and_links_to_the_tracker() -> None:
    [plan] = _plans(signal("overdue", level=1, late=timedelta(days=2, hours=3)))
    message = RENDERER.render([plan])
    assert message.subject == "[Vanthu] Quá hạn xử lý (mức 1): số 123/UBND-KT - QLTM"
    for body in (message.text, message.html):
        assert "Kính gửi" in body and "Trưởng phòng Ngô Thị Mai" in body
        assert "số 123/UBND-KT" in body and "báo cáo tình hình xuất khẩu quý I" in body
        assert "Phòng Quản lý Thương mại (QLTM)" in body
        assert "17:00 ngày 16/02/2024" in body and "đã quá hạn 2 ngày 3 giờ" in body
        assert "http://tracker.example:8002/dashboard/dispatches/cv-0001" in body
    assert "V/v V/v" not in message.text and "<a href=" in message.html and not message.attachments
    assert message.data["items"][0]["key"] == plan.key


def test_approaching_and_unacknowledged_wording() -> None:
    approaching = RENDERER.render(_plans(signal("approaching", late=timedelta(hours=5)))[:1])
    assert "còn 5 giờ đến hạn xử lý" in approaching.text
    unacked = RENDERER.render(_plans(signal("unacknowledged", late=timedelta(hours=1)))[:1])
    assert "quá hạn tiếp nhận 5 ngày 1 giờ" in unacked.text


def test_html_escapes_what_the_sender_wrote() -> None:
    [plan] = _plans(signal("overdue", subject="<script>alert(1)</script>"))
    html = RENDERER.render([plan]).html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_dispute_message_carries_the_whole_bounce_chain() -> None:
    text = RENDERER.render(_plans(disputed())[:1]).text
    assert "Văn thư → QLCN" in text and "QLCN → QLTM" in text and "QLTM → QLNL" in text
    assert "không thuộc chức năng" in text and "Chuyển quá 2 lần" in text


def test_level_3_attaches_a_draft_reminder_letter_in_the_decree_30_layout() -> None:
    late = timedelta(days=3, hours=1)  # detected 11:00 UTC Monday = 18:00 Vietnam time, 19/02
    plans = _plans(signal("overdue", unit="QLTM", level=3, late=late))
    [to_deputy] = [p for p in plans if not p.copy]
    [letter] = RENDERER.render([to_deputy]).attachments
    assert letter.filename == "du-thao-cong-van-don-doc-123-UBND-KT.docx"
    text = docx_text(letter.content)
    for expected in ("UBND TỈNH MẪU", "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: …/SCT-VP",
                     "V/v đôn đốc xử lý văn bản số 123/UBND-KT",
                     "Mẫu, ngày 19 tháng 02 năm 2024", "Kính gửi: Phòng Quản lý Thương mại.",
                     "báo cáo tình hình xuất khẩu quý I", "17:00 ngày 16/02/2024", "quá hạn 3 ngày 1 giờ",
                     "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hoàng Thị Lan"):
        assert expected in text, expected


def test_folded_level_3_letter_lists_every_late_unit_of_the_document() -> None:
    plans = [p for unit in ("QLCN", "QLNL")
             for p in _plans(signal("overdue", unit=unit, level=3)) if not p.copy]
    message = RENDERER.render(plans)
    assert message.subject.startswith("[Vanthu] 2 thông báo") and "1. QUÁ HẠN" in message.text
    [letter] = message.attachments
    text = docx_text(letter.content)
    assert "- Phòng Quản lý Công nghiệp;" in text and "- Phòng Quản lý Năng lượng." in text


def test_a_control_character_or_crlf_from_an_older_event_is_cleaned_everywhere() -> None:
    """Issue 13: a control character in a subject broke the level-3 letter, and a CR/LF in a
    notation made every email fail. Events now clean them, but older ones may hold anything."""
    [plan] = [p for p in _plans(signal("overdue", level=3)) if not p.copy]
    hostile = plan.signal.model_copy(update={"subject": "V/v báo cáo\x01 quý I\x0b",
                                             "notation": "UBND-KT\r\nBcc: evil@example.com"})
    message = RENDERER.render([replace(plan, signal=hostile)])
    assert message.subject == "[Vanthu] Quá hạn xử lý (mức 3): số 123/UBND-KT Bcc: evil@example.com - QLTM"
    assert "báo cáo quý I" in message.text and "\x01" not in message.text + message.html
    text = docx_text(message.attachments[0].content)
    assert "báo cáo quý I" in text and "số 123/UBND-KT Bcc: evil@example.com" in text
