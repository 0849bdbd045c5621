"""Declines and transfers re-route a dispatch, until bouncing (đùn đẩy) becomes a dispute."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.router.decision import route
from services.router.reassignment import (
    Dispute,
    Handoff,
    Hop,
    LeadershipOverride,
    Reroute,
    apply_override,
    passed_on_role,
    reassign,
)
from services.router.rules import RuleSet
from shared.clock import VIETNAM_TZ
from shared.organisation import Organisation
from shared.workdays import WorkCalendar
from tests.unit.router.letters import LETTER_2

AT = datetime(2024, 3, 4, 9, 0, tzinfo=VIETNAM_TZ)


def handoff(from_unit: str, named: str | None, action: str = "decline", hours: int = 0) -> Handoff:
    return Handoff.model_validate({"from_unit": from_unit, "action": action, "named_unit": named,
                                   "reason": "không thuộc chức năng", "at": AT + timedelta(hours=hours)})


def hop_of(result: Reroute | Dispute) -> Hop:
    assert isinstance(result, Reroute), result
    return result.hop


def test_a_decline_goes_to_the_unit_the_decliner_names(org: Organisation) -> None:
    result = reassign([], handoff("QLTM", "Phòng Quản lý Công nghiệp"), org)
    assert isinstance(result, Reroute)
    assert (result.to_unit, result.via_triage) == ("QLCN", False)
    assert result.hop == Hop(from_unit="QLTM", to_unit="QLCN", action="decline",
                             reason="không thuộc chức năng", at=AT)
    assert "Chuyển Phòng Quản lý Công nghiệp (QLCN)" in result.note
    assert isinstance(reassign([], handoff("QLTM", "qlnl"), org), Reroute)


@pytest.mark.parametrize("named", [None, "", "Phòng Tổ chức", "QLTM"])
def test_no_unit_an_unknown_unit_or_itself_goes_to_triage(org: Organisation, named: str | None) -> None:
    result = reassign([], handoff("QLTM", named), org)
    assert isinstance(result, Reroute)
    assert (result.to_unit, result.via_triage) == ("VP", True)
    assert "chuyển Văn phòng (VP) phân loại" in result.note


@pytest.mark.parametrize(("answered", "named", "role"), [
    ("coordinating", "QLCN", "coordinating"), ("coordinating", None, "lead"),
    ("lead", "QLCN", "lead"), (None, "QLCN", "lead")])
def test_a_coordinating_part_passed_to_a_named_unit_stays_coordinating(
        org: Organisation, answered: str | None, named: str | None, role: str) -> None:
    result = reassign([], handoff("QLTM", named), org)
    assert isinstance(result, Reroute)
    assert passed_on_role(answered, result) == role  # to triage, the Office leads the sorting


def test_decline_transfer_decline_is_a_dispute_with_the_whole_chain(org: Organisation) -> None:
    first = hop_of(reassign([], handoff("QLTM", "QLCN"), org))
    second = hop_of(reassign([first], handoff("QLCN", "KTATMT", "transfer", 1), org))
    result = reassign([first, second], handoff("KTATMT", "QLNL", hours=2), org)
    assert isinstance(result, Dispute)
    assert [(h.from_unit, h.to_unit, h.action) for h in result.chain] == [
        ("QLTM", "QLCN", "decline"), ("QLCN", "KTATMT", "transfer"), ("KTATMT", "QLNL", "decline")]
    assert result.escalate_to == "GD"  # units of two deputies: the director decides
    assert "chuyển qua lại 3 lần (QLTM → QLCN → KTATMT → QLNL)" in result.note
    assert "dừng đùn đẩy" in result.note


def test_the_bounce_limit_comes_from_the_organisation_or_the_caller(org: Organisation) -> None:
    first = hop_of(reassign([], handoff("QLTM", "QLCN"), org))
    assert org.max_bounces == 2
    assert isinstance(reassign([first], handoff("QLCN", "QLNL"), org, max_bounces=1), Dispute)
    assert isinstance(reassign([first], handoff("QLCN", "QLNL"), org), Reroute)


def test_coming_back_to_a_unit_that_declined_is_a_dispute(org: Organisation) -> None:
    first = hop_of(reassign([], handoff("QLCN", "QLNL"), org))
    result = reassign([first], handoff("QLNL", "Phòng Quản lý Công nghiệp"), org)
    assert isinstance(result, Dispute)
    assert result.chain[-1].to_unit == "QLCN" and len(result.chain) == 2
    assert result.escalate_to == "PGD2"  # both units are in charge of the same deputy
    assert "QLCN đã từ chối hoặc chuyển văn bản này trước đó" in result.note


def test_a_leadership_override_starts_a_new_chain(org: Organisation) -> None:
    first = hop_of(reassign([], handoff("QLCN", "QLNL"), org))
    override = Hop(from_unit="QLNL", to_unit="QLCN", action="override", reason="Lãnh đạo giao", at=AT)
    result = reassign([first, override], handoff("QLCN", "QLTM", hours=1), org)
    assert isinstance(result, Reroute) and result.to_unit == "QLTM"
    dispute = reassign([first, override, hop_of(result)], handoff("QLTM", "QLCN", hours=2), org)
    assert isinstance(dispute, Dispute) and dispute.units == ["QLCN", "QLTM"]


def test_going_back_to_triage_is_not_a_dispute_by_itself(org: Organisation) -> None:
    triaged = hop_of(reassign([], handoff("VP", "QLTM", "transfer"), org))
    assert isinstance(reassign([triaged], handoff("QLTM", None), org), Reroute)


def test_a_leadership_override_always_wins(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    current = route(LETTER_2, org, rules, calendar)
    override = LeadershipOverride(lead_unit="KHTC", coordinating_units=["VP", "KHTC"],
                                  decided_by="Phó Giám đốc Trần Thị Bình", at=AT)
    decided = apply_override(current, override, org, calendar)
    assert decided.rule_id == "leadership-override"
    assert [(a.unit_code, a.role) for a in decided.assignments] == [("KHTC", "lead"), ("VP", "coordinating")]
    assert {a.due_at for a in decided.assignments} == {datetime(2024, 2, 16, 17, tzinfo=VIETNAM_TZ)}
    assert decided.reason.startswith("Phó Giám đốc Trần Thị Bình chỉ đạo: Phòng Kế hoạch - Tài chính (KHTC)")
    later = datetime(2024, 3, 8, 17, tzinfo=VIETNAM_TZ)
    moved = apply_override(current, override.model_copy(update={"due_at": later}), org, calendar)
    assert {a.unit_code: a.due_at for a in moved.assignments} == {
        "KHTC": later, "VP": datetime(2024, 3, 6, 17, tzinfo=VIETNAM_TZ)}  # phối hợp: 2 working days before
    assert moved.assignments[0].ack_due_at == datetime(2024, 3, 5, 17, tzinfo=VIETNAM_TZ)
    with pytest.raises(ValueError, match="QLXX"):
        apply_override(current, override.model_copy(update={"lead_unit": "QLXX"}), org, calendar)
