"""How soon an urgent document (khẩn, thượng khẩn, hỏa tốc) is due at the latest. Pure.

The organisation's policy (:class:`shared.urgency_policy.UrgencyPolicy`) gives, per urgency level,
the acknowledgement within working hours and the handling within working days from reception. These
are caps: :class:`services.router.deadlines.Deadlines` keeps any earlier deadline (one the letter
states, or by type or meeting) and shortens only the later ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from shared.clock import VIETNAM_TZ
from shared.events_exchange import Urgency
from shared.urgency_policy import UrgencyPolicy
from shared.wording import at_time
from shared.workdays import WorkCalendar


def add_working_hours(start: datetime, hours: float, calendar: WorkCalendar,
                      opens: time) -> datetime:
    """The instant ``hours`` of office time after ``start``: office time runs from ``opens`` to the
    calendar's closing time on working days. Received after closing (or on a day off), the count
    starts at the next working day's opening; 0 hours is that starting instant."""
    if opens >= calendar.closing_time:
        raise ValueError("the office must open before it closes")
    local = start.astimezone(VIETNAM_TZ)
    day = local.date()
    cursor = max(local, datetime.combine(day, opens, tzinfo=VIETNAM_TZ))
    if not calendar.is_working_day(day) or cursor >= calendar.end_of_day(day):
        day = calendar.next_working_day(day)
        cursor = datetime.combine(day, opens, tzinfo=VIETNAM_TZ)
    remaining = timedelta(hours=hours)
    while True:
        available = calendar.end_of_day(day) - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
        day = calendar.next_working_day(day)
        cursor = datetime.combine(day, opens, tzinfo=VIETNAM_TZ)


@dataclass(frozen=True)
class UrgencyCaps:
    """The latest deadlines of an urgent document, and how a clerk reads them."""

    urgency: Urgency
    handle_by: datetime
    acknowledge_by: datetime
    handle_days: int
    acknowledge_hours: int

    @property
    def handling_basis(self) -> str:
        """'văn bản hỏa tốc: xử lý trong 1 ngày làm việc kể từ khi nhận (17:00 ngày 16/02/2024)'."""
        return (f"văn bản {self.urgency.label}: xử lý trong {self.handle_days} ngày làm việc kể từ "
                f"khi nhận ({at_time(self.handle_by)})")

    @property
    def acknowledgement_basis(self) -> str:
        """'văn bản hỏa tốc: tiếp nhận trong 2 giờ làm việc'."""
        return f"văn bản {self.urgency.label}: tiếp nhận trong {self.acknowledge_hours} giờ làm việc"


def urgency_caps(urgency: Urgency | None, received_at: datetime, policy: UrgencyPolicy,
                 calendar: WorkCalendar) -> UrgencyCaps | None:
    """The caps of a document of ``urgency`` received at ``received_at``; None when it is not
    urgent (thường, or none stated)."""
    if urgency is None:
        return None
    caps = policy.caps(urgency.value)
    if caps is None:
        return None
    return UrgencyCaps(
        urgency=urgency,
        handle_by=calendar.add_working_days(received_at, caps.handle_days),
        acknowledge_by=add_working_hours(received_at, caps.acknowledge_hours, calendar,
                                         policy.office_opens),
        handle_days=caps.handle_days, acknowledge_hours=caps.acknowledge_hours)
