"""The escalation policy as data, and who each signal reaches (plan_notifications)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from services.notifier.directory import UnknownRecipientError, YamlDirectory
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.policy import EscalationPolicy, load_policy
from shared.config_yaml import ConfigError
from tests.unit.notifier.factories import disputed, sample_directory, signal

POLICY = load_policy()
INLINE_ORG = """
version: 1
name: Sở X
leadership:
  office: VP
  director: {name: Giám đốc A, title: Giám đốc, email: gd@x.vn}
  deputies: [{code: P1, name: Phó B, title: Phó Giám đốc, email: p1@x.vn, units: [VP, KT]}]
units:
  - {code: VP, name: Văn phòng, deputy: P1, head: {name: Chánh C, title: Chánh Văn phòng, email: c@x.vn},
     contacts: {email: vp@x.vn, webhook_url: "http://h/vp", channels: [webhook]}}
  - {code: KT, name: Phòng Kỹ thuật, deputy: P1, head: {name: Trưởng D, title: Trưởng phòng, email: d@x.vn},
     contacts: {email: kt@x.vn}}
"""


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


def test_the_directory_reads_the_organisation_with_the_one_reader(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(INLINE_ORG, encoding="utf-8")
    directory = YamlDirectory.from_file(path)
    assert directory.office().channels == ("webhook",) and directory.unit("KT").channels == ("email",)
    assert (directory.unit_head("KT").display, directory.unit_head("KT").channels) == (
        "Trưởng phòng Trưởng D", ("email",))
    assert directory.deputy_for("KT").email == "p1@x.vn" and directory.unit_name("XX") == "XX"
    assert [c.id for c in directory.leadership()] == ["director", "deputy:P1"]
    assert _who(plan_notifications(signal("overdue", unit="KT"), POLICY, directory)) == {
        ("head:KT", "email", False)}
    with pytest.raises(UnknownRecipientError):
        plan_notifications(signal("overdue", unit="XX"), POLICY, directory)


def test_a_file_the_router_would_refuse_the_notifier_refuses_too(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(INLINE_ORG.replace("{email: kt@x.vn}", "{}"), encoding="utf-8")  # no address
    with pytest.raises(ConfigError, match="email"):
        YamlDirectory.from_file(path)


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
