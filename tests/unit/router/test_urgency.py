"""Urgency (độ khẩn) caps the deadlines by the organisation's policy; an earlier deadline still wins."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from services.router.deadlines import Deadlines
from services.router.decision import route
from services.router.model import RoutingInput
from services.router.rules import RuleSet
from services.router.urgency import add_working_hours, urgency_caps
from shared.clock import VIETNAM_TZ
from shared.events import StatedDeadline
from shared.events_exchange import Urgency
from shared.organisation import Organisation
from shared.urgency_policy import UrgencyDeadlines, UrgencyPolicy
from shared.workdays import WorkCalendar

MONDAY_9 = datetime(2024, 3, 4, 9, 0, tzinfo=VIETNAM_TZ)
OPENS = time(7, 30)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def doc(**fields: object) -> RoutingInput:
    base: dict[str, object] = {"dispatch_id": "d", "subject": "V/v thử", "received_at": MONDAY_9,
                               "doc_type": "Công văn"}
    return RoutingInput.model_validate({**base, **fields})


def test_working_hours_run_from_opening_to_closing_on_working_days(calendar: WorkCalendar) -> None:
    assert add_working_hours(MONDAY_9, 2, calendar, OPENS) == local(2024, 3, 4, 11)
    assert add_working_hours(local(2024, 3, 4, 16), 2, calendar, OPENS) == local(2024, 3, 5, 8, 30)
    friday_late = local(2024, 3, 8, 20)  # after closing: counted from Monday's opening
    assert add_working_hours(friday_late, 2, calendar, OPENS) == local(2024, 3, 11, 9, 30)
    assert add_working_hours(local(2024, 3, 4, 6), 0, calendar, OPENS) == local(2024, 3, 4, 7, 30)
    before_tet = local(2024, 2, 7, 16)  # Wednesday; Tết 08–14/02 is skipped
    assert add_working_hours(before_tet, 4, calendar, OPENS) == local(2024, 2, 15, 10, 30)
    with pytest.raises(ValueError):
        add_working_hours(MONDAY_9, 1, calendar, time(18, 0))


def test_default_policy_per_level(calendar: WorkCalendar) -> None:
    policy = UrgencyPolicy()
    express = urgency_caps(Urgency.EXPRESS, MONDAY_9, policy, calendar)
    assert express is not None
    assert (express.acknowledge_by, express.handle_by) == (local(2024, 3, 4, 11), local(2024, 3, 5, 17))
    very = urgency_caps(Urgency.VERY_URGENT, MONDAY_9, policy, calendar)
    assert very is not None and very.handle_by == local(2024, 3, 6, 17)
    assert very.acknowledge_by == local(2024, 3, 4, 13)
    urgent = urgency_caps(Urgency.URGENT, MONDAY_9, policy, calendar)
    assert urgent is not None and urgent.handle_by == local(2024, 3, 7, 17)
    assert urgent.acknowledge_by == local(2024, 3, 4, 17)  # 8 hours: 09:00 to closing
    assert urgency_caps(Urgency.NORMAL, MONDAY_9, policy, calendar) is None
    assert urgency_caps(None, MONDAY_9, policy, calendar) is None


def test_an_express_document_gets_the_short_deadlines(org: Organisation, calendar: WorkCalendar) -> None:
    deadlines = Deadlines(doc(urgency="express"), org, calendar)
    due = deadlines.for_unit("QLTM")  # a Công văn: 7 working days otherwise
    assert due.at == local(2024, 3, 5, 17)
    assert due.basis == ("văn bản hỏa tốc: xử lý trong 1 ngày làm việc kể từ khi nhận "
                         "(17:00 ngày 05/03/2024)")
    assert deadlines.acknowledgement(due.at) == local(2024, 3, 4, 11)
    normal = Deadlines(doc(), org, calendar)
    assert normal.for_unit("QLTM").at == local(2024, 3, 13, 17)
    assert normal.acknowledgement(normal.for_unit("QLTM").at) == local(2024, 3, 5, 17)


def test_an_earlier_stated_deadline_still_wins_a_later_one_is_capped(
    org: Organisation, calendar: WorkCalendar
) -> None:
    today = StatedDeadline(date=date(2024, 3, 4), time="15:00", what="báo cáo nhanh")
    early = Deadlines(doc(urgency="express", stated_deadlines=[today]), org, calendar)
    assert early.for_unit("QLTM").at == local(2024, 3, 4, 15)
    assert early.for_unit("QLTM").basis.startswith("hạn nêu trong văn bản")
    later = StatedDeadline(date=date(2024, 3, 20), what="gửi báo cáo")
    capped = Deadlines(doc(urgency="very_urgent", stated_deadlines=[later]), org, calendar)
    due = capped.for_unit("QLTM")
    assert (due.at, due.what) == (local(2024, 3, 6, 17), "gửi báo cáo")  # what is still asked


def test_a_coordinating_unit_is_never_due_after_the_cap(org: Organisation, calendar: WorkCalendar) -> None:
    deadlines = Deadlines(doc(urgency="express"), org, calendar)
    lead = deadlines.for_unit("QLTM")
    part = deadlines.for_coordinator("QLCN", "QLTM", lead)
    assert part.at <= lead.at == local(2024, 3, 5, 17)


def test_the_organisation_file_overrides_one_level(org: Organisation, calendar: WorkCalendar) -> None:
    policy = UrgencyPolicy(express=UrgencyDeadlines(acknowledge_hours=1, handle_days=0))
    assert policy.urgent == UrgencyPolicy().urgent  # the others keep their defaults
    handling = org.handling.model_copy(update={"urgency": policy})
    custom = org.model_copy(update={"handling": handling})
    deadlines = Deadlines(doc(urgency="express"), custom, calendar)
    assert deadlines.for_unit("QLTM").at == local(2024, 3, 4, 17)
    assert deadlines.acknowledgement(local(2024, 3, 4, 17)) == local(2024, 3, 4, 10)


def test_the_decision_says_why_the_deadlines_are_short(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    decision = route(doc(urgency="express", subject="V/v kiểm tra thị trường xăng dầu"),
                     org, rules, calendar)
    assert all(a.due_at <= local(2024, 3, 5, 17) for a in decision.assignments)
    assert all(a.ack_due_at == local(2024, 3, 4, 11) for a in decision.assignments)
    assert "văn bản hỏa tốc: tiếp nhận trong 2 giờ làm việc" in decision.reason
