"""Notifications the notifier gave up on: on the dispatch's timeline, in the list, on the overview."""

from __future__ import annotations

from datetime import UTC, datetime

from services.tracker.dashboard import dispatch_page
from services.tracker.dashboard.render import render

NAMES = {"QLTM": "Phòng Quản lý Thương mại"}
FAILED = {"_id": "n1", "dispatch_id": "d1", "event_type": "notification.failed",
          "occurred_at": datetime(2024, 2, 21, 2, tzinfo=UTC), "unit_code": "QLTM",
          "kind": "overdue", "level": 3, "recipient_id": "director", "channel": "email",
          "step": "render", "attempts": 0, "reason": "ký tự điều khiển trong trích yếu"}


def test_a_failed_notification_is_on_the_timeline_with_its_reason() -> None:
    [event] = dispatch_page.timeline([FAILED], [], NAMES)
    assert event.kind == "failed" and event.when == "09:00 ngày 21/02/2024"
    assert event.text == (
        "Gửi thông báo thất bại: nhắc quá hạn mức 3 về Phòng Quản lý Thương mại (QLTM) tới director"
        " qua thư điện tử, hỏng ở bước soạn nội dung sau 0 lần thử — lý do: ký tự điều khiển "
        "trong trích yếu")


def test_a_digest_failure_has_no_dispatch_and_unknown_words_stay_readable() -> None:
    digest = {**FAILED, "dispatch_id": None, "unit_code": None, "kind": "digest", "level": None,
              "channel": "sms", "step": "send", "attempts": 4}
    [row] = dispatch_page.failed_rows([digest], NAMES)
    assert row["dispatch_id"] is None
    assert row["text"].startswith("Gửi thông báo thất bại: bản tin tổng hợp hằng ngày tới director"
                                  " qua sms, hỏng ở bước gửi đi sau 4 lần thử")


def test_the_list_page_links_each_failure_to_its_dispatch() -> None:
    rows = dispatch_page.failed_rows([FAILED], NAMES)
    html = render("failed.html.j2", {"who": "director", "csrf": "c", "now": "09:00", "refresh": 15,
                                     "units": NAMES, "rows": rows}).body.decode()
    assert 'href="/dashboard/dispatches/d1"' in html and "ký tự điều khiển" in html
    assert "1 thông báo không gửi được" in html
    empty = render("failed.html.j2", {"who": "director", "csrf": "c", "now": "09:00",
                                      "refresh": 15, "units": NAMES, "rows": []}).body.decode()
    assert "Không có thông báo nào gửi thất bại." in empty
