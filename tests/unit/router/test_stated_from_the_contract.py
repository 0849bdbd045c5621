"""The router reads stated deadlines and meetings in the contract's own types (shared.events), and
counts the sender's own deadline as stated, to the second."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.router.deadlines import SENDER_DEADLINE, Deadlines
from services.router.translate import routing_input
from shared.clock import VIETNAM_TZ
from shared.events import DispatchReceived, MeetingInfo, StatedDeadline
from shared.organisation import Organisation
from shared.workdays import WorkCalendar

RECEIVED = datetime(2024, 2, 6, 14, 0, tzinfo=VIETNAM_TZ)  # Tuesday, two days before Tết 2024


def received(**fields: object) -> DispatchReceived:
    return DispatchReceived.model_validate({
        "correlation_id": "d", "dispatch_id": "d", "source_system": "s", "subject": "V/v thử",
        "doc_type": "Công văn", "occurred_at": RECEIVED, **fields})


def test_the_events_deadlines_and_meeting_pass_through_unchanged() -> None:
    stated = StatedDeadline(date=date(2024, 2, 16), time="10:30", what="gửi báo cáo", who="QLTM")
    meeting = MeetingInfo(date=date(2024, 2, 19), time="09:00", place="Phòng họp lớn")
    doc = routing_input(received(deadlines=[stated], meeting=meeting))
    assert doc.stated_deadlines == [stated] and doc.meeting == meeting and doc.sender_due_at is None


def test_the_senders_deadline_is_stated_for_every_unit_to_the_second(
        org: Organisation, calendar: WorkCalendar) -> None:
    sender = datetime(2024, 2, 15, 3, 30, 45, tzinfo=UTC)  # 10:30:45 in Vietnam
    later = StatedDeadline(date=date(2024, 2, 20), what="gửi báo cáo")
    doc = routing_input(received(due_at=sender, deadlines=[later]))
    due = Deadlines(doc, org, calendar).for_unit("QLTM")
    assert (due.at, due.what) == (sender, SENDER_DEADLINE)
    earlier = StatedDeadline(date=date(2024, 2, 7), what="gửi danh sách")
    due = Deadlines(routing_input(received(due_at=sender, deadlines=[earlier])), org,
                    calendar).for_unit("VP")
    assert (due.at, due.what) == (datetime(2024, 2, 7, 17, tzinfo=VIETNAM_TZ), "gửi danh sách")


def test_a_meeting_without_a_date_sets_no_deadline(org: Organisation,
                                                   calendar: WorkCalendar) -> None:
    doc = routing_input(received(meeting=MeetingInfo(time="09:00", place="Phòng họp lớn")))
    due = Deadlines(doc, org, calendar).for_unit("VP")
    assert "cuộc họp" not in due.basis and "ngày làm việc kể từ ngày nhận" in due.basis
