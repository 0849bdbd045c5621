"""The two seed letters are routed as a clerk (văn thư) of the Sở would route them."""

from __future__ import annotations

from datetime import datetime

from services.router.decision import route
from services.router.rules import RuleSet
from shared.clock import VIETNAM_TZ
from shared.organisation import Organisation
from shared.workdays import WorkCalendar
from tests.unit.router.letters import LETTER_1, LETTER_2

ALL_UNITS = ["VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT"]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def test_letter_1_is_a_broadcast_each_unit_tracked_on_its_own(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    decision = route(LETTER_1, org, rules, calendar)
    assert decision.broadcast
    assert [a.unit_code for a in decision.assignments] == ALL_UNITS
    assert {a.role for a in decision.assignments} == {"lead"}  # every unit answers for its own share
    assert decision.rule_id == "gui-tat-ca-don-vi"
    assert "Kính gửi «Các phòng, đơn vị thuộc Sở»" in decision.matched_terms
    for a in decision.assignments:
        assert a.ack_due_at == local(2023, 8, 16, 17, 0)  # one working day after Tue 15/08
        assert a.due_at == local(2023, 8, 24, 17, 0)  # Công văn: 7 working days
        assert a.ack_due_at < a.due_at
        assert a.task.startswith("Thực hiện: chấn chỉnh công tác phối hợp")


def test_letter_1_reason_reads_as_a_clerk_would_write_it(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    reason = route(LETTER_1, org, rules, calendar).reason
    assert "gửi tất cả các phòng, đơn vị" in reason
    assert "mỗi đơn vị một phần việc, theo dõi riêng" in reason
    assert "7 ngày làm việc kể từ ngày nhận" in reason
    assert "Hạn xác nhận đã nhận: 17:00 ngày 16/08/2023" in reason


def test_letter_2_gives_every_unit_the_report_deadline_of_16_february_2024(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    decision = route(LETTER_2, org, rules, calendar)
    assert decision.broadcast
    assert sorted(a.unit_code for a in decision.assignments) == sorted(ALL_UNITS)
    for a in decision.assignments:
        assert a.due_at.date().isoformat() == "2024-02-16"
        assert a.due_at == local(2024, 2, 16, 17, 0)  # "trước ngày 16/2/2024": close of that day
        assert a.ack_due_at == local(2024, 2, 7, 17, 0)  # before Tết closes the office
    assert "hạn nêu trong văn bản (17:00 ngày 16/02/2024)" in decision.reason


def test_letter_2_makes_the_office_compile_and_the_others_contribute(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    decision = route(LETTER_2, org, rules, calendar)
    [lead] = decision.leads
    assert lead.unit_code == "VP"
    assert lead.task.startswith("Chủ trì: chuẩn bị nội dung báo cáo tổng hợp công tác cải cách hành chính")
    assert decision.rule_id == "giao-trong-van-ban"
    assert "văn bản giao «Giao Văn phòng Sở»" in decision.matched_terms
    others = [a for a in decision.assignments if a.unit_code != "VP"]
    assert {a.role for a in others} == {"coordinating"}
    for a in others:
        assert a.task == ("Phối hợp: gửi nội dung báo cáo kết quả thực hiện cải cách hành chính năm 2023 "
                          "về Văn phòng Sở")


def test_same_letter_same_decision(org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    for letter in (LETTER_1, LETTER_2):
        first = route(letter, org, rules, calendar)
        again = route(letter.model_copy(deep=True), org, rules, org.work_calendar())
        assert again == first
        assert again.model_dump_json() == first.model_dump_json()


def test_all_deadlines_are_aware_local_times(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    for letter in (LETTER_1, LETTER_2):
        for a in route(letter, org, rules, calendar).assignments:
            assert a.due_at.utcoffset() == a.ack_due_at.utcoffset() == VIETNAM_TZ.utcoffset(a.due_at)
