"""Phối hợp in the escalation policy: a coordinating unit's late part goes first to the lead unit and
its own head, then along the leadership chain, each level once (config/escalation.yaml)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import EscalationPolicy, load_policy
from tests.unit.notifier.factories import sample_directory, signal

POLICY = load_policy()


def _to(plans: list[PlannedNotification]) -> set[tuple[str, bool]]:
    return {(p.recipient.id, p.copy) for p in plans}


def coordinating(kind: str, level: int = 1, leads: tuple[str, ...] = ("QLCN",)) -> Any:
    return signal(kind, unit="QLTM", level=level, role="coordinating", lead_units=list(leads))


def test_the_shipped_ladder_for_a_late_part() -> None:
    ladder = [_to(plan_notifications(coordinating("overdue", level), POLICY, sample_directory()))
              for level in (1, 2, 3)]
    assert ladder == [{("unit:QLCN", False), ("head:QLTM", False)},
                      {("unit:VP", False)},
                      {("deputy:PGD3", False), ("director", True)}]
    level_3 = plan_notifications(coordinating("overdue", 3), POLICY, sample_directory())
    assert all(p.reminder_letter for p in level_3)


def test_what_the_coordinating_rules_leave_out_follows_the_general_rules() -> None:
    assert _to(plan_notifications(coordinating("approaching"), POLICY, sample_directory())) == {
        ("unit:QLTM", False)}
    assert _to(plan_notifications(coordinating("unacknowledged"), POLICY, sample_directory())) == {
        ("head:QLTM", False)}


def test_a_part_without_a_named_lead_still_reaches_its_head_and_the_lead_is_told_once() -> None:
    assert _to(plan_notifications(coordinating("overdue", leads=()), POLICY, sample_directory())) == {
        ("head:QLTM", False)}
    twice = coordinating("overdue", leads=("QLCN", "QLCN", "QLTM"))  # itself: not its own lead
    plans = plan_notifications(twice, POLICY, sample_directory())
    assert sorted(p.key for p in plans) == ["cv-0001/QLTM/overdue-L1/head:QLTM/email",
                                            "cv-0001/QLTM/overdue-L1/unit:QLCN/email"]


def test_a_lead_units_signal_ignores_the_coordinating_rules() -> None:
    lead = signal("overdue", unit="QLTM", level=1, lead_units=["QLCN"])  # role lead: general ladder
    assert _to(plan_notifications(lead, POLICY, sample_directory())) == {("head:QLTM", False)}


def _with(coordinating_rules: list[dict[str, Any]], rules: list[dict[str, Any]] | None = None) -> None:
    data = POLICY.model_dump(mode="json")
    data["coordinating"] = coordinating_rules
    if rules is not None:
        data["rules"] = rules
    EscalationPolicy.model_validate(data)


@pytest.mark.parametrize(("coordinating_rules", "message"), [
    ([{"signal": "overdue", "level": 1, "to": ["lead_unit"]},
      {"signal": "overdue", "level": 1, "to": ["office"]}], "more than one coordinating rule"),
    ([{"signal": "overdue", "level": 1, "to": ["lead_unit", "unit_head"]},
      {"signal": "overdue", "level": 2, "to": ["unit_head"], "cc": ["office"]}], "more than once"),
    ([{"signal": "disputed", "to": ["office"]}], "no coordinating rule for it"),
])
def test_a_broken_coordinating_ladder_is_refused(coordinating_rules: list[dict[str, Any]],
                                                 message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _with(coordinating_rules)


def test_lead_unit_is_a_role_of_the_coordinating_rules_only() -> None:
    rules = POLICY.model_dump(mode="json")["rules"]
    rules[0] = {**rules[0], "to": ["lead_unit"]}
    with pytest.raises(ValidationError, match="only for the coordinating rules"):
        _with([], rules)
    _with([])  # no coordinating rules: every signal follows the general ones


def test_the_message_says_whom_the_part_is_due_to() -> None:
    [head, *_] = plan_notifications(coordinating("overdue", 1), POLICY, sample_directory())
    subject = MessageRenderer("http://tracker").subject([head])
    assert subject == "[Vanthu] Quá hạn xử lý (mức 1) — phần phối hợp gửi QLCN: số 123/UBND-KT - QLTM"
