"""Routing again after the Office corrects a field (issue 18): the same rules decide on the corrected
dispatch; a different decision re-routes like a leadership override, the same one leaves it be."""

from __future__ import annotations

from datetime import datetime

from services.router.correction import redecide
from services.router.correction_handling import moved_events
from services.router.decision import route
from services.router.model import RoutingInput
from services.router.reassignment import Hop, LeadershipOverride, apply_override
from services.router.rules import RuleSet
from shared.clock import VIETNAM_TZ
from shared.events import AssignmentRole, DispatchReceived
from shared.events_corrections import DispatchCorrected
from shared.organisation import Organisation
from shared.workdays import WorkCalendar

AT = datetime(2024, 3, 5, 9, 0, tzinfo=VIETNAM_TZ)
READ = RoutingInput(dispatch_id="d1", issuer="BAN QUẢN LÝ DỰ ÁN", notation="SCT-QLTM",
                    subject="Cung cấp thông tin phục vụ công tác tổng hợp", received_at=AT)
RIGHT = READ.model_copy(update={"issuer": "SỞ CÔNG THƯƠNG"})


def test_a_corrected_issuer_that_changes_the_rule_re_routes_with_the_reason_in_words(
        org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    before, after = route(READ, org, rules, calendar), route(RIGHT, org, rules, calendar)
    assert [a.unit_code for a in before.leads] == ["VP"]  # triage: no rule for that issuer
    assert [a.unit_code for a in after.leads] == ["QLTM"]  # drafted by QLTM (notation)
    plan = redecide(before, [], after, field="issuer", before=READ.issuer, after=RIGHT.issuer,
                    at=AT)
    assert plan is not None and plan.previous_lead == "VP"
    assert (plan.hop.from_unit, plan.hop.to_unit, plan.hop.action) == ("VP", "QLTM", "override")
    assert plan.decision.reason.startswith(
        "Định tuyến lại sau khi Văn phòng sửa Cơ quan ban hành: «BAN QUẢN LÝ DỰ ÁN» → "
        "«SỞ CÔNG THƯƠNG».")
    assert plan.decision.rule_id == after.rule_id


def test_the_same_units_in_the_same_roles_leave_the_dispatch_where_it_is(
        org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    decision = route(RIGHT, org, rules, calendar)
    retyped = RIGHT.model_copy(update={"issuer": "Sở Công Thương"})
    assert redecide(decision, [], route(retyped, org, rules, calendar), field="issuer",
                    before="SỞ CÔNG THƯƠNG", after="Sở Công Thương", at=AT) is None


def test_a_leadership_decision_is_not_undone_by_a_correction(
        org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    overridden = apply_override(route(READ, org, rules, calendar), LeadershipOverride(
        lead_unit="KHTC", decided_by="Giám đốc", at=AT), org, calendar)
    assert redecide(overridden, [], route(RIGHT, org, rules, calendar), field="issuer",
                    before=READ.issuer, after=RIGHT.issuer, at=AT) is None


def test_after_a_transfer_the_unit_holding_it_is_the_one_moved_from(
        org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    before = route(READ, org, rules, calendar)  # VP triaged it, then passed it to QLTM
    history = [Hop(from_unit="VP", to_unit="QLTM", action="transfer", reason="đúng lĩnh vực",
                   at=AT)]
    after = route(RIGHT, org, rules, calendar)  # the rules now say QLTM too: nothing to move
    assert redecide(before, history, after, field="issuer", before=READ.issuer,
                    after=RIGHT.issuer, at=AT) is None
    to_qlnl = after.model_copy(update={"assignments": [
        after.assignments[0].model_copy(update={"unit_code": "QLNL"})]})
    plan = redecide(before, history, to_qlnl, field="issuer", before="a", after="b", at=AT)
    assert plan is not None and plan.previous_lead == "QLTM"


def test_each_new_assignment_is_one_reassignment_with_ids_derived_from_the_correction(
        org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    before, after = route(READ, org, rules, calendar), route(RIGHT, org, rules, calendar)
    plan = redecide(before, [], after, field="issuer", before=READ.issuer, after=RIGHT.issuer,
                    at=AT)
    assert plan is not None
    received = DispatchReceived(dispatch_id="d1", correlation_id="d1", source_system="s",
                                subject=RIGHT.subject, issuer=RIGHT.issuer, occurred_at=AT)
    event = DispatchCorrected(correlation_id="d1", dispatch_id="d1", field="issuer",
                              review="corrected", before=READ.issuer, after=RIGHT.issuer,
                              corrected_by="Giám đốc", corrected=received)
    assert event.reroutes
    moved = moved_events(plan, [], event, AT)
    again = moved_events(plan, [], event, AT)
    assert [m.event_id for m in moved] == [m.event_id for m in again]  # a redelivery: same ids
    [lead] = moved
    assert (lead.from_unit, lead.assignment.unit_code, lead.assignment.role) == (
        "VP", "QLTM", AssignmentRole.LEAD)
    assert lead.chain[-1].action == "override" and "Văn phòng sửa" in lead.reason
    confirmed = event.model_copy(update={"review": "confirmed"})
    assert not confirmed.reroutes


def test_the_correction_topic_is_created_with_the_others() -> None:
    from shared import topics

    assert topics.DISPATCH_CORRECTED == "vanthu.dispatch.corrected.v1"
    assert topics.DISPATCH_CORRECTED in topics.ALL_TOPICS
