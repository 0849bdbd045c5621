"""One Vietnamese wording of dates and times (shared.wording), used by the dashboard and the notifier."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.notifier.wording import local_time
from services.tracker.dashboard import labels
from shared.clock import VIETNAM_TZ
from shared.wording import at_time, day_month_year, on_date

DUE = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam


def test_a_moment_is_worded_in_vietnam_time() -> None:
    assert at_time(DUE) == "17:00 ngày 16/02/2024"
    assert at_time(datetime(2024, 2, 16, 17, 30, tzinfo=UTC)) == "00:30 ngày 17/02/2024"  # next day
    assert at_time(datetime(2024, 2, 16, 17, 0)) == "17:00 ngày 16/02/2024"  # naive: Vietnam time


def test_a_day_is_worded_with_and_without_ngay() -> None:
    assert on_date(date(2024, 2, 6)) == "ngày 06/02/2024"
    assert day_month_year(date(2024, 12, 31)) == "31/12/2024"
    assert on_date(datetime(2024, 2, 16, 18, 0, tzinfo=UTC)) == "ngày 17/02/2024"  # its Vietnam day
    assert day_month_year(datetime(2024, 2, 17, 0, 30, tzinfo=VIETNAM_TZ)) == "17/02/2024"


def test_the_dashboard_and_the_notifier_write_a_moment_alike() -> None:
    assert labels.when(DUE) == local_time(DUE) == at_time(DUE)
    assert labels.when(DUE.isoformat()) == at_time(DUE) and labels.when(None) == "—"
    assert labels.day("2024-02-06") == day_month_year(date(2024, 2, 6))
