"""The rules of deadline extensions: what may be asked and decided, and the new round an approval
starts (pure: no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.tracker.extensions import (
    AssignmentExtensions,
    ExtensionRequest,
    RequestStatus,
    check_decision,
    check_request,
    extended,
    words_of,
)
from services.tracker.ladder import Status
from services.tracker.records import AssignmentRecord
from shared.workdays import WorkCalendar

DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)  # Friday 17:00 in Hà Nội
NEW = datetime(2024, 2, 21, 10, tzinfo=UTC)  # Wednesday 17:00
NOW = datetime(2024, 2, 14, 2, tzinfo=UTC)
NONE = AssignmentExtensions()


def _assignment(status: Status = Status.ACKNOWLEDGED, round_: int = 0,
                ack_due_at: datetime | None = None) -> AssignmentRecord:
    return AssignmentRecord(id="d1:QLTM", dispatch_id="d1", unit_code="QLTM", status=status,
                            due_at=DUE, round=round_, ack_due_at=ack_due_at)


def test_a_request_before_the_deadline_for_a_later_date_is_allowed() -> None:
    assert check_request(_assignment(), NEW, NOW, NONE, cap=1) is None
    assert check_request(_assignment(), DUE + timedelta(minutes=1), DUE - timedelta(seconds=1),
                         NONE, cap=1) is None  # the last second before the deadline


@pytest.mark.parametrize(("now", "new_due_at", "so_far", "cap", "status", "loc", "words"), [
    (DUE, NEW, NONE, 1, 422, ("assignment", "due_at"), "đã quá hạn xử lý (16/02/2024 17:00)"),
    (DUE + timedelta(days=1), NEW, NONE, 1, 422, ("assignment", "due_at"), "trước hạn"),
    (NOW, NOW, NONE, 1, 422, ("body", "new_due_at"), "đã qua"),
    (NOW, NOW - timedelta(days=3), NONE, 1, 422, ("body", "new_due_at"), "đã qua"),
    (NOW, DUE, NONE, 1, 422, ("body", "new_due_at"), "phải sau hạn hiện tại (16/02/2024 17:00)"),
    (NOW, NEW, AssignmentExtensions(extended=1), 1, 422, ("assignment", "extensions"), "tối đa 1"),
    (NOW, NEW, NONE, 0, 422, ("assignment", "extensions"), "tối đa 0"),
    (NOW, NEW, AssignmentExtensions(pending="r7"), 1, 409, (), "r7 đang chờ quyết định"),
])
def test_a_request_that_does_not_hold_is_refused_naming_why(
        now: datetime, new_due_at: datetime, so_far: AssignmentExtensions, cap: int, status: int,
        loc: tuple[str, ...], words: str) -> None:
    refusal = check_request(_assignment(), new_due_at, now, so_far, cap)
    assert refusal is not None
    assert (refusal.status, refusal.loc) == (status, loc)
    assert words in refusal.reason


def test_the_cap_allows_as_many_extensions_as_set() -> None:
    assert check_request(_assignment(), NEW, NOW, AssignmentExtensions(extended=1), cap=2) is None


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.DECLINED, Status.TRANSFERRED,
                                    Status.CANCELLED])
def test_nothing_to_extend_once_the_assignment_is_closed(status: Status) -> None:
    refusal = check_request(_assignment(status), NEW, NOW, NONE, cap=1)
    assert refusal is not None and refusal.status == 409 and status.value in refusal.reason


def test_a_pending_request_is_decided_once() -> None:
    assert check_decision("pending", _assignment(), NEW, True, NOW) is None
    assert check_decision("pending", None, NEW, False, NOW) is None  # a refusal needs nothing
    for decided, words in (("approved", "đã đồng ý"), ("refused", "không đồng ý")):
        refusal = check_decision(decided, _assignment(), NEW, True, NOW)
        assert refusal is not None and refusal.status == 409 and words in refusal.reason


def test_an_approval_needs_an_open_assignment_and_a_date_still_ahead() -> None:
    closed = check_decision("pending", _assignment(Status.COMPLETED), NEW, True, NOW)
    assert closed is not None and closed.status == 409
    late = check_decision("pending", _assignment(), NEW, True, NEW)
    assert late is not None and (late.status, late.loc) == (422, ("request", "new_due_at"))


def test_an_approval_moves_the_deadline_into_a_new_round_of_signals_still_ahead() -> None:
    ack_due = datetime(2024, 2, 13, 2, tzinfo=UTC)  # already past at NOW
    fields, check = extended(_assignment(round_=2, ack_due_at=ack_due), NEW, "r1", NOW,
                             WorkCalendar(), 1, NONE)
    assert fields == {"due_at": NEW, "round": 3, "extensions": 1, "original_due_at": DUE,
                      "last_extension_id": "r1", "extended_at": NOW}
    assert (check.id, check.round, check.unit_code) == ("d1:QLTM", 3, "QLTM")
    assert {s: t.astimezone(UTC) for s, t in check.schedule.items()} == {
        "approaching": datetime(2024, 2, 20, 10, tzinfo=UTC),  # one working day before
        "overdue:1": NEW,
        "overdue:2": datetime(2024, 2, 22, 10, tzinfo=UTC),
        "overdue:3": datetime(2024, 2, 23, 10, tzinfo=UTC),
    }  # no "unacknowledged": its moment has passed, it is not signalled again
    assert check.claim_id("overdue:1") == "d1:QLTM:r3:overdue:1"  # not the old round's


def test_a_second_extension_keeps_the_first_deadline_as_the_original() -> None:
    fields, _ = extended(_assignment(), NEW, "r2", NOW, WorkCalendar(), 1,
                         AssignmentExtensions(extended=1, original_due_at=NOW))
    assert (fields["extensions"], fields["original_due_at"]) == (2, NOW)


def test_a_reminder_whose_moment_is_gone_is_not_scheduled() -> None:
    soon = NOW + timedelta(hours=20)  # the reminder would fall a working day before: passed
    _, check = extended(_assignment(), soon, "r1", NOW, WorkCalendar(), 1, NONE)
    assert "approaching" not in check.schedule and check.schedule["overdue:1"] == soon


def test_a_request_round_trips_through_its_stored_document() -> None:
    request = ExtensionRequest(id="r1", dispatch_id="d1", unit_code="QLTM", current_due_at=DUE,
                               new_due_at=NEW, reason="Chờ số liệu", requested_by="nva",
                               requested_at=NOW, subject="V/v tổng kết")
    doc = request.as_doc()
    assert (doc["_id"], doc["assignment_id"], doc["status"]) == ("r1", "d1:QLTM", "pending")
    assert ExtensionRequest.from_doc(doc) == request
    assert ExtensionRequest.from_doc({**doc, "status": "approved"}).status is RequestStatus.APPROVED


def test_deadlines_are_written_in_vietnam_time() -> None:
    assert words_of(DUE) == "16/02/2024 17:00"
