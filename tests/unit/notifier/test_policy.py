"""The escalation policy as data, and who each signal reaches (plan_notifications)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.notifier.directory import UnknownRecipientError, YamlDirectory
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.policy import EscalationPolicy, load_policy
from tests.unit.notifier.factories import disputed, sample_directory, signal

POLICY = load_policy()
INLINE_ORG = {
    "leadership": {"office": "VP", "director": {"name": "Giám đốc A", "email": "gd@x.vn"},
                   "deputies": [{"code": "P1", "name": "Phó B", "email": "p1@x.vn", "units": ["KT"]}]},
    "units": [
        {"code": "VP", "name": "Văn phòng", "contacts": {"webhook_url": "http://h/vp",
                                                         "channels": ["webhook"]}},
        {"code": "KT", "name": "Phòng Kỹ thuật", "head": {"name": "Trưởng C"}},  # no address at all
    ],
}


def _who(plans: list[PlannedNotification]) -> set[tuple[str, str, bool]]:
    return {(p.recipient.id, p.channel, p.copy) for p in plans}


@pytest.mark.parametrize(("kind", "level", "expected"), [
    ("unacknowledged", 1, {("head:QLTM", "email", False)}),
    ("approaching", 1, {("unit:QLTM", "email", False), ("unit:QLTM", "webhook", False)}),
    ("overdue", 1, {("head:QLTM", "email", False)}),
    ("overdue", 2, {("unit:VP", "webhook", False), ("unit:VP", "email", False)}),
    ("overdue", 3, {("deputy:PGD3", "email", False), ("director", "email", True)}),
])
def test_each_signal_reaches_exactly_the_roles_the_policy_names(kind: str, level: int,
                                                                expected: set[tuple[str, str, bool]]) -> None:
    assert _who(plan_notifications(signal(kind, level=level), POLICY, sample_directory())) == expected


def test_level_3_goes_to_the_deputy_in_charge_of_that_unit_with_the_director_in_copy() -> None:
    plans = plan_notifications(signal("overdue", unit="QLCN", level=3), POLICY, sample_directory())
    [deputy] = [p for p in plans if not p.copy]
    assert deputy.recipient.name == "Lê Minh Đức" and deputy.recipient.email == "pgd.duc@sct.example.gov.vn"
    assert all(p.reminder_letter for p in plans)
    assert [c.id for c in deputy.addressees] == ["deputy:PGD2"]
    assert [c.id for c in deputy.copies] == ["director"]


def test_a_dispute_goes_to_the_office_and_the_deputies_in_charge_with_the_chain() -> None:
    plans = plan_notifications(disputed(), POLICY, sample_directory())
    assert {p.recipient.id for p in plans} == {"unit:VP", "deputy:PGD2", "deputy:PGD3"}
    assert all(p.key.startswith("cv-0002/dispute-3/disputed/") for p in plans)
    assert len(plans[0].signal.chain) == 3  # type: ignore[union-attr]


def test_keys_identify_assignment_level_recipient_and_channel_not_the_event() -> None:
    first = plan_notifications(signal("overdue", level=2), POLICY, sample_directory())
    again = plan_notifications(signal("overdue", level=2), POLICY, sample_directory())  # new event_id
    assert [p.key for p in first] == [p.key for p in again]
    assert first[0].key == "cv-0001/QLTM/overdue-L2/unit:VP/webhook"
    higher = plan_notifications(signal("overdue", level=3), POLICY, sample_directory())
    assert not {p.key for p in first} & {p.key for p in higher}


def test_inline_org_defaults_channels_and_falls_back_to_the_deputies_unit_lists() -> None:
    directory = YamlDirectory(INLINE_ORG)
    assert directory.unit_head("KT").channels == ("log",)
    assert directory.deputy_for("KT").email == "p1@x.vn"
    assert directory.office().channels == ("webhook",)
    assert _who(plan_notifications(signal("overdue", unit="KT"), POLICY, directory)) == {
        ("head:KT", "log", False)}
    with pytest.raises(UnknownRecipientError):
        directory.unit_head("VP")
    with pytest.raises(UnknownRecipientError):
        plan_notifications(signal("overdue", unit="XX"), POLICY, directory)


def test_office_that_is_also_the_late_unit_is_told_once() -> None:
    plans = plan_notifications(signal("overdue", unit="VP", level=2), POLICY, sample_directory())
    assert sorted(p.channel for p in plans) == ["email", "webhook"]


@pytest.mark.parametrize("change", [
    lambda rules: rules[:-1],                                                 # disputed missing
    lambda rules: [*rules, {"signal": "approaching", "to": ["unit"]}],        # duplicate
    lambda rules: [*rules[:1], {"signal": "approaching", "level": 2, "to": ["unit"]}, *rules[2:]],
    lambda rules: [{**rules[0], "to": ["nobody"]}, *rules[1:]],
])
def test_a_broken_policy_is_rejected(change: object) -> None:
    data = POLICY.model_dump(mode="json")
    data["rules"] = change(data["rules"])  # type: ignore[operator]
    with pytest.raises(ValidationError):
        EscalationPolicy.model_validate(data)
