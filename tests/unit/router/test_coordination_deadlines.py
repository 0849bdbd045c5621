"""Phối hợp: a coordinating unit's contribution is due to the lead unit two working days (the
organisation file's ``coordination_lead_days``) before the lead's deadline, never before the
assignment date, counted in working days (Tết 2024: 08–14/02 off)."""

from __future__ import annotations

from datetime import date, datetime

from services.router.deadlines import contribution_due_at
from services.router.decision import route
from services.router.model import RoutingInput
from services.router.rules import RuleSet
from shared.clock import VIETNAM_TZ
from shared.events import StatedDeadline
from shared.organisation import Organisation
from shared.workdays import WorkCalendar

from .letters import LETTER_2

RECEIVED = datetime(2024, 2, 6, 14, 0, tzinfo=VIETNAM_TZ)  # Tuesday, two days before Tết 2024
BODY = ("Giám đốc Sở giao Phòng Quản lý Thương mại chủ trì, phối hợp với Phòng Kỹ thuật An toàn - "
        "Môi trường và Thanh tra Sở xây dựng kế hoạch kiểm tra thị trường.")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def dispatch(**fields: object) -> RoutingInput:
    base: dict[str, object] = {"dispatch_id": "c1", "subject": "V/v kiểm tra thị trường",
                               "received_at": RECEIVED, "doc_type": "Công văn", "body": BODY}
    return RoutingInput.model_validate({**base, **fields})


def dues(decision_doc: RoutingInput, org: Organisation, rules: RuleSet,
         calendar: WorkCalendar) -> dict[str, tuple[str, datetime, datetime]]:
    decision = route(decision_doc, org, rules, calendar)
    return {a.unit_code: (a.role, a.due_at, a.ack_due_at) for a in decision.assignments}


def test_the_organisation_file_sets_two_working_days_by_default(org: Organisation) -> None:
    assert org.handling.coordination_lead_days == 2


def test_two_working_days_before_the_lead_skipping_tet(calendar: WorkCalendar) -> None:
    lead = local(2024, 2, 16, 17)  # Friday after Tết
    assert contribution_due_at(lead, RECEIVED, 2, calendar) == local(2024, 2, 7, 17)  # 15/02, then 07/02
    assert contribution_due_at(lead, RECEIVED, 1, calendar) == local(2024, 2, 15, 17)
    assert contribution_due_at(lead, RECEIVED, 0, calendar) == lead
    stated_time = local(2024, 2, 20, 10, 30)  # a stated hour: the close of the day two working days before
    assert contribution_due_at(stated_time, RECEIVED, 2, calendar) == local(2024, 2, 16, 17)


def test_never_before_the_assignment_date_nor_after_the_lead(calendar: WorkCalendar) -> None:
    lead = local(2024, 2, 16, 17)
    assigned_after_tet = local(2024, 2, 15, 9)  # two working days before would be 07/02: too early
    assert contribution_due_at(lead, assigned_after_tet, 2, calendar) == local(2024, 2, 15, 17)
    after_closing = local(2024, 2, 15, 18, 30)  # assigned after the office closed: not before that
    assert contribution_due_at(lead, after_closing, 2, calendar) == after_closing
    on_the_lead_day = local(2024, 2, 16, 9)
    assert contribution_due_at(lead, on_the_lead_day, 2, calendar) == lead
    lead_already_past = local(2024, 2, 5, 17)  # a stated deadline gone when received: the lead's
    assert contribution_due_at(lead_already_past, RECEIVED, 2, calendar) == lead_already_past


def test_a_routed_coordinator_is_due_two_working_days_before_the_lead(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    got = dues(dispatch(), org, rules, calendar)
    lead_due = local(2024, 2, 22, 17)  # Công văn: 7 working days from 06/02, Tết skipped
    assert got["QLTM"] == ("lead", lead_due, local(2024, 2, 7, 17))
    for unit in ("KTATMT", "TTRA"):
        assert got[unit] == ("coordinating", local(2024, 2, 20, 17), local(2024, 2, 7, 17))
    reason = route(dispatch(), org, rules, calendar).reason
    assert "Hạn xử lý: 7 ngày làm việc kể từ ngày nhận" in reason  # the lead's basis
    assert reason.endswith("Hạn gửi phần phối hợp: 2 ngày làm việc trước hạn của đơn vị chủ trì "
                           "(17:00 ngày 22/02/2024): 17:00 ngày 20/02/2024.")


def test_a_lead_due_soon_after_tet_leaves_the_coordinator_the_day_before_tet(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    for_lead = StatedDeadline(date=date(2024, 2, 16), who="Phòng Quản lý Thương mại")
    got = dues(dispatch(stated_deadlines=[for_lead]), org, rules, calendar)
    assert got["QLTM"][1] == local(2024, 2, 16, 17)
    assert got["TTRA"][1] == local(2024, 2, 7, 17)  # 15/02 then, over Tết, 07/02
    late = dispatch(stated_deadlines=[for_lead], received_at=local(2024, 2, 15, 10))
    assert dues(late, org, rules, calendar)["TTRA"][1] == local(2024, 2, 15, 17)  # not before 15/02


def test_a_deadline_the_document_sets_for_the_contribution_wins(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    for_ttra = StatedDeadline(date=date(2024, 2, 21), who="Thanh tra Sở")
    got = dues(dispatch(stated_deadlines=[for_ttra]), org, rules, calendar)
    assert got["TTRA"][1] == local(2024, 2, 21, 17)  # named: the document's own date
    assert got["KTATMT"][1] == local(2024, 2, 20, 17)  # not named: two working days before the lead
    letter_2 = route(LETTER_2, org, rules, calendar)  # "gửi … về Văn phòng Sở trước ngày 16/2/2024"
    assert {a.due_at for a in letter_2.assignments} == {local(2024, 2, 16, 17)}


def test_the_lead_days_come_from_the_organisation_file(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    same_day = org.model_copy(update={"handling": org.handling.model_copy(
        update={"coordination_lead_days": 0})})
    assert dues(dispatch(), same_day, rules, calendar)["TTRA"][1] == local(2024, 2, 22, 17)
    three = org.model_copy(update={"handling": org.handling.model_copy(
        update={"coordination_lead_days": 3})})
    assert dues(dispatch(), three, rules, calendar)["TTRA"][1] == local(2024, 2, 19, 17)


def test_a_deadline_naming_the_lead_and_its_coordinators_is_the_leads(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    parsed = StatedDeadline(  # as ingest reads "giao Phòng QLTM chủ trì, phối hợp với … báo cáo trước"
        date=date(2024, 3, 20), what="báo cáo",
        who="Phòng Quản lý Thương mại chủ trì, phối hợp với Phòng Kỹ thuật An toàn - Môi trường và "
            "Thanh tra Sở xây dựng kế hoạch kiểm tra,")
    got = dues(dispatch(stated_deadlines=[parsed]), org, rules, calendar)
    assert got["QLTM"][1] == local(2024, 3, 20, 17)
    assert got["TTRA"][1] == got["KTATMT"][1] == local(2024, 3, 18, 17)  # Wednesday → Monday


def test_letter_2_as_ingest_reads_it_keeps_the_date_asked_of_the_units(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    as_read = StatedDeadline(date=date(2024, 2, 16), what="gửi các nội dung báo cáo về Sở Công Thương",
                             who="các phòng, đơn vị")  # "Đề nghị các phòng, đơn vị gửi … trước ngày"
    letter = LETTER_2.model_copy(update={"stated_deadlines": [as_read]})
    assert {a.due_at for a in route(letter, org, rules, calendar).assignments} == {
        local(2024, 2, 16, 17)}
    unaddressed = as_read.model_copy(update={"who": None, "what": "báo cáo"})
    got = dues(dispatch(stated_deadlines=[unaddressed]), org, rules, calendar)
    assert got["QLTM"][1] == local(2024, 2, 16, 17) and got["TTRA"][1] == local(2024, 2, 7, 17)
