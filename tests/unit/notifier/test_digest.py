"""The daily leadership digest: what it says and when it goes out (working days, 07:30 Vietnam time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.notifier.digest import (
    OpenItem,
    build_digest,
    digest_outgoings,
    digest_recipients,
    next_digest_at,
    render_digest,
)
from services.notifier.policy import load_policy
from shared.clock import VIETNAM_TZ
from shared.on_time import UnitOnTime
from tests.unit.notifier.factories import sample_directory

NOW = datetime(2024, 2, 19, 0, 30, tzinfo=UTC)  # Monday 07:30 in Vietnam
NAMES = {"QLTM": "Phòng Quản lý Thương mại", "QLCN": "Phòng Quản lý Công nghiệp"}


class WeekdaysOnly:
    """A fake calendar: Monday to Friday are working days."""

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


def _open(unit: str, hours: float, n: str) -> OpenItem:
    return OpenItem(f"cv-{n}", unit, NOW + timedelta(hours=hours), "V/v kế hoạch " + n, n, "UBND-KT")


def test_digest_groups_by_unit_beside_the_trackers_on_time_rows() -> None:
    digest = build_digest(
        [_open("QLTM", -50, "1"), _open("QLTM", 20, "2"), _open("QLCN", 10, "3"), _open("QLCN", 100, "4")],
        [UnitOnTime("QLTM", received=3, completed_on_time=1, completed_late=1, open=1),
         UnitOnTime("QLCN", received=1, completed_on_time=1),
         UnitOnTime("TTRA", received=1, open=1)],  # nothing due yet, nothing open soon: not listed
        NOW, NAMES)
    [qltm, qlcn] = digest.units
    assert [i.dispatch_id for i in qltm.overdue] == ["cv-1"]
    assert [i.dispatch_id for i in qltm.approaching] == ["cv-2"]
    assert qlcn.overdue == [] and [i.dispatch_id for i in qlcn.approaching] == ["cv-3"]  # cv-4 is far off
    assert (qltm.on_time, qltm.counted, qltm.on_time_rate) == (1, 2, 0.5)
    assert (qlcn.counted, qlcn.on_time_rate) == (1, 1.0)
    assert digest.on_time_rate == 0.667  # 2 on time of 3 counted, over every unit
    assert (digest.overdue_count, digest.approaching_count) == (1, 2)


def test_digest_message_lists_items_by_unit_with_rates() -> None:
    digest = build_digest([_open("QLTM", -50, "1"), _open("QLCN", 10, "3")],
                          [UnitOnTime("QLTM", received=1, completed_late=1)], NOW, NAMES)
    message = render_digest(digest, "http://tracker")
    assert message.subject == "[Vanthu] Tình hình xử lý văn bản ngày 19/02/2024: 1 quá hạn, 1 sắp đến hạn"
    for body in (message.text, message.html):
        assert "Phòng Quản lý Thương mại (QLTM)" in body and "số 1/UBND-KT" in body
        assert "quá hạn 2 ngày 2 giờ" in body and "còn 10 giờ" in body
        assert "http://tracker/dashboard/dispatches/cv-3" in body
        assert "0%" in body and "chưa có số liệu" in body
    assert message.text.index("QLTM") < message.text.index("QLCN")  # most overdue first
    empty = render_digest(build_digest([], [], NOW, NAMES), "http://tracker")
    assert "Không có văn bản quá hạn" in empty.text


@pytest.mark.parametrize(("now_local", "expected_local"), [
    (datetime(2024, 2, 19, 6, 0), datetime(2024, 2, 19, 7, 30)),   # Monday before 07:30: today
    (datetime(2024, 2, 19, 7, 30), datetime(2024, 2, 20, 7, 30)),  # exactly at: the next one
    (datetime(2024, 2, 16, 9, 0), datetime(2024, 2, 19, 7, 30)),   # Friday after: Monday
    (datetime(2024, 2, 17, 6, 0), datetime(2024, 2, 19, 7, 30)),   # Saturday: Monday
])
def test_next_digest_is_at_send_time_on_a_working_day(now_local: datetime, expected_local: datetime) -> None:
    now = now_local.replace(tzinfo=VIETNAM_TZ).astimezone(UTC)
    assert next_digest_at(now, "07:30", calendar=WeekdaysOnly()) == expected_local.replace(tzinfo=VIETNAM_TZ)


def test_next_digest_counts_the_day_in_vietnam_time() -> None:
    sunday_utc_evening = datetime(2024, 2, 18, 23, 0, tzinfo=UTC)  # already Monday 06:00 in Vietnam
    assert next_digest_at(sunday_utc_evening, calendar=WeekdaysOnly()) == NOW


def test_digest_goes_to_the_leadership_once_a_day_per_recipient_and_channel() -> None:
    recipients = digest_recipients(sample_directory(), load_policy().digest)
    assert [c.id for c in recipients] == ["director", "deputy:PGD1", "deputy:PGD2", "deputy:PGD3"]
    message = render_digest(build_digest([], [], NOW, NAMES), "http://t")
    outgoing = digest_outgoings(message, recipients, date(2024, 2, 19))
    assert outgoing[0].keys == ("digest/2024-02-19/director/email",) and len(outgoing) == 4
