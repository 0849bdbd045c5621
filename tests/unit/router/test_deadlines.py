"""Hạn xử lý: the document's own deadline wins, then the meeting, then working days by type."""

from __future__ import annotations

from datetime import date, datetime

from services.router.deadlines import Deadlines, Due, meeting_due_at
from services.router.model import RoutingInput
from shared.clock import VIETNAM_TZ
from shared.events import MeetingInfo, StatedDeadline
from shared.organisation import Organisation
from shared.workdays import WorkCalendar

RECEIVED = datetime(2024, 2, 6, 14, 0, tzinfo=VIETNAM_TZ)  # Tuesday, two days before Tết 2024


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def doc(**fields: object) -> RoutingInput:
    base: dict[str, object] = {"dispatch_id": "d", "subject": "V/v thử", "received_at": RECEIVED,
                               "doc_type": "Công văn"}
    return RoutingInput.model_validate({**base, **fields})


def test_a_stated_date_is_due_at_the_close_of_that_day_a_stated_time_as_is(
    org: Organisation, calendar: WorkCalendar
) -> None:
    by_date = StatedDeadline(date=date(2024, 2, 16), what="gửi báo cáo")
    by_time = StatedDeadline(date=date(2024, 2, 20), time="10:30")
    def due_for(*stated: StatedDeadline) -> Due:
        return Deadlines(doc(stated_deadlines=list(stated)), org, calendar).for_unit("QLTM")

    assert due_for(by_date).at == local(2024, 2, 16, 17)
    assert due_for(by_date).basis == "hạn nêu trong văn bản (17:00 ngày 16/02/2024)"
    assert due_for(by_time, by_date).at == local(2024, 2, 16, 17)  # the earliest wins
    assert due_for(by_time, by_date).what == "gửi báo cáo"
    assert due_for(by_time).at == local(2024, 2, 20, 10, 30)


def test_a_deadline_set_for_one_unit_applies_to_that_unit_only(
    org: Organisation, calendar: WorkCalendar
) -> None:
    for_qltm = StatedDeadline(date=date(2024, 2, 15), who="Phòng Quản lý Thương mại")
    deadlines = Deadlines(doc(stated_deadlines=[for_qltm]), org, calendar)
    assert deadlines.for_unit("QLTM").at == local(2024, 2, 15, 17)
    assert deadlines.for_unit("VP").at == local(2024, 2, 22, 17)  # Công văn: 7 working days, Tết skipped


def test_a_meeting_is_prepared_one_working_day_before(org: Organisation, calendar: WorkCalendar) -> None:
    monday = MeetingInfo(date=date(2024, 2, 19), time="09:00")
    due = Deadlines(doc(meeting=monday), org, calendar).for_unit("VP")
    assert due.at == local(2024, 2, 16, 17)
    assert due.basis == "1 ngày làm việc trước cuộc họp lúc 09:00 ngày 19/02/2024 (17:00 ngày 16/02/2024)"
    after_tet = MeetingInfo(date=date(2024, 2, 15), time="08:00")
    assert meeting_due_at(after_tet, 1, calendar) == local(2024, 2, 7, 17)  # Tết week skipped
    assert meeting_due_at(after_tet, 0, calendar) == local(2024, 2, 15, 8)


def test_without_stated_dates_the_document_type_sets_the_working_days(
    org: Organisation, calendar: WorkCalendar
) -> None:
    assert Deadlines(doc(doc_type="Báo cáo"), org, calendar).for_unit("VP").at == local(2024, 2, 20, 17)
    plan = Deadlines(doc(doc_type="KẾ HOẠCH"), org, calendar).for_unit("VP")
    assert plan.at == local(2024, 2, 27, 17)
    assert plan.basis == "10 ngày làm việc kể từ ngày nhận, thời hạn xử lý KẾ HOẠCH (17:00 ngày 27/02/2024)"
    unknown = Deadlines(doc(doc_type="Tờ khai"), org, calendar).for_unit("VP")
    invitation_without_meeting = Deadlines(doc(doc_type="Giấy mời"), org, calendar).for_unit("VP")
    assert unknown.at == invitation_without_meeting.at == local(2024, 2, 22, 17)  # fallback: 7
    assert "thời hạn mặc định" in unknown.basis
    assert Deadlines(doc(), org, calendar, rule_days=2).for_unit("VP").at == local(2024, 2, 15, 17)


def test_acknowledgement_is_one_working_day_and_never_after_the_deadline(
    org: Organisation, calendar: WorkCalendar
) -> None:
    friday = doc(received_at=local(2024, 2, 23, 16, 45))
    assert Deadlines(friday, org, calendar).acknowledgement(local(2024, 3, 5, 17)) == local(2024, 2, 26, 17)
    urgent = local(2024, 2, 23, 17)
    assert Deadlines(friday, org, calendar).acknowledgement(urgent) == urgent


def test_a_deadline_already_past_on_reception_is_kept_and_flagged(
    org: Organisation, calendar: WorkCalendar
) -> None:
    late = StatedDeadline(date=date(2024, 2, 5))
    due = Deadlines(doc(stated_deadlines=[late]), org, calendar).for_unit("VP")
    assert due.at == local(2024, 2, 5, 17) and "đã qua khi nhận văn bản" in due.basis
