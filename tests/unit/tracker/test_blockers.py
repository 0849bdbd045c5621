"""Blockers' rules: who may report, when a direction is refused, and the wait in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.tracker import blockers as rules
from services.tracker.blockers import Blocker, BlockerStatus
from services.tracker.ladder import Status
from services.tracker.records import AssignmentRecord
from shared.workdays import WorkCalendar

CAL = WorkCalendar()
# Thursday 15/02/2024, 09:00 in Vietnam (02:00 UTC); 16/02 is a Friday, 19/02 a Monday
REPORTED = datetime(2024, 2, 15, 2, tzinfo=UTC)


def _assignment(status: Status = Status.ACKNOWLEDGED) -> AssignmentRecord:
    return AssignmentRecord(id="d1:QLTM", dispatch_id="d1", unit_code="QLTM", status=status,
                            due_at=REPORTED + timedelta(days=5))


def _blocker(**fields: object) -> Blocker:
    return Blocker(**{"id": "b1", "dispatch_id": "d1", "unit_code": "QLTM",  # type: ignore[arg-type]
                      "note": "Thiếu số liệu của Sở Tài chính", "reported_by": "nva",
                      "reported_at": REPORTED, **fields})


def test_only_the_unit_itself_reports_on_an_open_assignment_it_holds() -> None:
    assert rules.report_refusal("QLTM", "QLTM", _assignment()) is None
    outsider = rules.report_refusal("VP", "QLTM", _assignment())
    assert outsider is not None and outsider.status == 403 and "QLTM" in outsider.reason
    leader = rules.report_refusal(None, "QLTM", _assignment())  # leadership reports nothing
    assert leader is not None and leader.status == 403
    missing = rules.report_refusal("QLTM", "QLTM", None)
    assert missing is not None and missing.status == 404
    done = rules.report_refusal("QLTM", "QLTM", _assignment(Status.COMPLETED))
    assert done is not None and done.status == 409 and "kết thúc" in done.reason


@pytest.mark.parametrize(("note", "problem"), [
    ("", "cần nêu nội dung"), ("   \n", "cần nêu nội dung"), ("x" * 4001, "dài quá 4000"),
])
def test_an_empty_or_overlong_note_is_refused_in_words(note: str, problem: str) -> None:
    found = rules.note_problem(note)
    assert found is not None and problem in found
    assert rules.note_problem("Đề nghị chỉ đạo") is None


def test_a_direction_on_an_answered_blocker_is_refused_naming_who_and_when() -> None:
    assert rules.direction_refusal(_blocker()) is None
    missing = rules.direction_refusal(None)
    assert missing is not None and missing.status == 404
    answered = _blocker().directed("Phối hợp Sở Tài chính", "director", REPORTED + timedelta(hours=3))
    assert answered.closed and answered.status is BlockerStatus.DIRECTED
    refused = rules.direction_refusal(answered)
    assert refused is not None and refused.status == 409
    assert "director" in refused.reason and "12:00 ngày 15/02/2024" in refused.reason


@pytest.mark.parametrize(("after", "words"), [
    (timedelta(seconds=20), "dưới 1 phút"),
    (timedelta(minutes=45), "45 phút"),
    (timedelta(hours=3), "3 giờ"),
    (timedelta(hours=3, minutes=5), "3 giờ 5 phút"),
    (timedelta(days=1), "1 ngày làm việc"),  # Thursday → Friday
    (timedelta(days=4), "2 ngày làm việc"),  # Thursday → Monday: the weekend does not count
])
def test_the_wait_is_told_in_working_days_or_in_hours(after: timedelta, words: str) -> None:
    assert rules.waiting_words(REPORTED, REPORTED + after, CAL) == words


def test_a_wait_across_midnight_under_a_day_is_told_in_hours_and_a_weekend_counts_one_day() -> None:
    evening = datetime(2024, 2, 15, 14, 43, tzinfo=UTC)  # Thursday 21:43 in Vietnam
    assert rules.waiting_words(evening, evening + timedelta(hours=3), CAL) == "3 giờ"
    friday = datetime(2024, 2, 16, 9, tzinfo=UTC)  # Friday 16:00 → Monday 09:00
    assert rules.waiting_words(friday, friday + timedelta(hours=65), CAL) == "1 ngày làm việc"
    saturday = datetime(2024, 2, 17, 2, tzinfo=UTC)  # Saturday → Sunday: no working day passed
    assert rules.waiting_words(saturday, saturday + timedelta(days=1), CAL) == "1 ngày làm việc"


def test_the_wait_runs_until_the_direction_or_until_now_while_open() -> None:
    now = REPORTED + timedelta(hours=2)
    assert rules.waited(_blocker(), now, CAL) == (7200.0, "2 giờ")
    answered = _blocker().directed("Làm ngay", "director", REPORTED + timedelta(minutes=30))
    assert rules.waited(answered, now + timedelta(days=9), CAL) == (1800.0, "30 phút")


def test_a_blocker_survives_its_document_and_rows_carry_the_words() -> None:
    answered = _blocker(reported_by_name="Nguyễn Văn A").directed(
        "Làm ngay", "director", REPORTED + timedelta(minutes=30))
    assert Blocker.from_doc(answered.as_doc()) == answered
    row = rules.row(answered, REPORTED, CAL, {"QLTM": "Phòng Quản lý thương mại"})
    assert row["blocker_id"] == "b1" and "_id" not in row
    assert row["unit_name"] == "Phòng Quản lý thương mại" and row["status"] == "directed"
    assert (row["waited_words"], row["reported_words"]) == ("30 phút", "09:00 ngày 15/02/2024")


def test_timeline_words_name_the_unit_the_person_and_the_wait() -> None:
    names = {"QLTM": "Phòng Quản lý thương mại"}
    reported = rules.reported_words({"unit_code": "QLTM", "reported_by": "nva",
                                     "reported_by_name": "Nguyễn Văn A", "note": "Thiếu số liệu"},
                                    names)
    assert reported == ("Phòng Quản lý thương mại (QLTM) phản ánh vướng mắc "
                        "(người gửi: Nguyễn Văn A): «Thiếu số liệu»")
    directed = rules.directed_words({"unit_code": "QLTM", "directed_by": "director",
                                     "waited_words": "2 giờ", "direction": "Làm ngay"}, names)
    assert directed == ("director cho ý kiến chỉ đạo về vướng mắc của Phòng Quản lý thương mại "
                        "(QLTM) sau 2 giờ: «Làm ngay»")
