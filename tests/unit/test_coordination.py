"""Phối hợp from end to end, without I/O: the router gives a coordinating unit a deadline two working
days before the lead's (Tết skipped, never before the assignment date), the tracker records whom its
part is due to and fires its overdue signals with the lead unit named, and the notifier escalates a
late part first to the lead unit and the coordinating unit's head, then along the leadership chain
(Văn phòng, the deputy in charge with the director in copy), each level once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from services.notifier.escalation import plan_notifications
from services.notifier.policy import load_policy
from services.router.decision import route
from services.router.model import RoutingInput
from services.router.rules import RuleSet, load_rules
from services.tracker import recording
from services.tracker.deadline_detector import signal_event
from services.tracker.ladder import Status
from services.tracker.records import AssignmentRecord
from services.tracker.writes import WriteBatch
from shared.clock import VIETNAM_TZ
from shared.events import (
    AssignmentOverdue,
    AssignmentRole,
    DispatchAssigned,
    DispatchReassigned,
    ReassignmentHop,
    UnitAssignment,
)
from shared.organisation import Organisation, load_organisation
from shared.workdays import WorkCalendar
from tests.unit.notifier.factories import sample_directory

CONFIG = Path(__file__).resolve().parents[2] / "config"

RECEIVED = datetime(2024, 2, 6, 14, 0, tzinfo=VIETNAM_TZ)  # Tuesday, two days before Tết 2024
BODY = ("Giám đốc Sở giao Phòng Quản lý Công nghiệp chủ trì, phối hợp với Phòng Quản lý Thương mại "
        "xây dựng kế hoạch kiểm tra an toàn cụm công nghiệp.")


@pytest.fixture(scope="module")
def org() -> Organisation:
    return load_organisation(CONFIG / "organisation.sample.yaml")


@pytest.fixture(scope="module")
def rules(org: Organisation) -> RuleSet:
    return load_rules(CONFIG / "routing-rules.yaml", org)


@pytest.fixture(scope="module")
def calendar(org: Organisation) -> WorkCalendar:
    return org.work_calendar()


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def assigned(org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> DispatchAssigned:
    doc = RoutingInput(dispatch_id="pk1", subject="V/v kiểm tra an toàn", received_at=RECEIVED,
                       doc_type="Công văn", body=BODY, number="45", notation="UBND-KT")
    decision = route(doc, org, rules, calendar)
    return DispatchAssigned(
        dispatch_id="pk1", correlation_id="pk1", subject=doc.subject, rule_id=decision.rule_id,
        reason=decision.reason, occurred_at=RECEIVED,
        assignments=[UnitAssignment(unit_code=a.unit_code, role=a.role, due_at=a.due_at,
                                    ack_due_at=a.ack_due_at, task=a.task)
                     for a in decision.assignments])


def test_a_late_contribution_goes_to_the_lead_and_the_head_then_up_the_chain_each_level_once(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    event = assigned(org, rules, calendar)
    dues = {a.unit_code: (a.role.value, a.due_at) for a in event.assignments}
    assert dues == {"QLCN": ("lead", local(2024, 2, 22, 17)),  # 7 working days, Tết 08–14/02 skipped
                    "QLTM": ("coordinating", local(2024, 2, 20, 17))}  # two working days before

    batch = WriteBatch()
    recording.add_assigned(batch, event, calendar)
    docs = {w.id: w.fields for w in batch.assignments}
    assert docs["pk1:QLTM"]["lead_units"] == ["QLCN"]
    assert "lead_units" not in docs["pk1:QLCN"]
    [check] = [c for c in batch.checks if c.id == "pk1:QLTM"]
    levels = {s: check.schedule[s] for s in ("overdue:1", "overdue:2", "overdue:3")}
    assert levels == {"overdue:1": local(2024, 2, 20, 17), "overdue:2": local(2024, 2, 21, 17),
                      "overdue:3": local(2024, 2, 22, 17)}

    record = AssignmentRecord.from_doc({"_id": "pk1:QLTM", **docs["pk1:QLTM"]})
    assert record.lead_units == ("QLCN",) and record.status is Status.RECEIVED
    policy, directory = load_policy(), sample_directory()
    reached: list[set[tuple[str, bool]]] = []
    for signal, at in levels.items():
        overdue = signal_event(signal, check, record, {"subject": event.subject}, at)
        assert isinstance(overdue, AssignmentOverdue)
        assert overdue.role == "coordinating" and overdue.lead_units == ["QLCN"]
        plans = plan_notifications(overdue, policy, directory)
        reached.append({(p.recipient.id, p.copy) for p in plans})
        assert all(p.key.startswith(f"pk1/QLTM/overdue-L{overdue.level}/") for p in plans)
    assert reached == [
        {("unit:QLCN", False), ("head:QLTM", False)},  # the lead unit and the coordinator's head
        {("unit:VP", False)},  # Văn phòng Sở
        {("deputy:PGD3", False), ("director", True)},  # the deputy in charge of QLTM, the director
    ]
    everyone = [who for level in reached for who, _ in level]
    assert len(everyone) == len(set(everyone))  # each level of the chain hears once


def test_the_lead_units_own_lateness_keeps_the_general_ladder(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    event = assigned(org, rules, calendar)
    batch = WriteBatch()
    recording.add_assigned(batch, event, calendar)
    docs = {w.id: w.fields for w in batch.assignments}
    record = AssignmentRecord.from_doc({"_id": "pk1:QLCN", **docs["pk1:QLCN"]})
    [check] = [c for c in batch.checks if c.id == "pk1:QLCN"]
    overdue = signal_event("overdue:1", check, record, {}, check.schedule["overdue:1"])
    plans = plan_notifications(overdue, load_policy(), sample_directory())
    assert {p.recipient.id for p in plans} == {"head:QLCN"}


def test_after_a_leadership_override_a_coordinating_part_names_the_new_lead() -> None:
    at = local(2024, 3, 4, 9)
    hop = ReassignmentHop(from_unit="QLCN", to_unit="KHTC", action="override", at=at)
    part = UnitAssignment(unit_code="QLTM", role="coordinating", due_at=local(2024, 3, 6, 17))
    moved = DispatchReassigned(dispatch_id="pk1", correlation_id="pk1", from_unit=None,
                               assignment=part, chain=[hop], reason="Giám đốc: giao lại",
                               occurred_at=at)
    batch = WriteBatch()
    recording.add_reassigned(batch, moved, WorkCalendar())
    assert batch.assignments[0].fields["lead_units"] == ["KHTC"]
    fields, _ = recording.reopened(moved, WorkCalendar(), 1, "pk1:QLTM", 1)
    assert fields["lead_units"] == ["KHTC"]
    declined = moved.model_copy(update={"chain": [hop.model_copy(update={"action": "decline"})]})
    assert recording.moved_leads(declined) == []  # a plain move does not say who leads
    lead = moved.model_copy(update={"assignment": part.model_copy(update={"role": AssignmentRole.LEAD})})
    assert recording.moved_leads(lead, ["QLCN"]) == []


def test_a_coordinating_part_passed_on_keeps_reporting_to_the_lead_unit() -> None:
    at = local(2024, 3, 4, 9)
    hop = ReassignmentHop(from_unit="QLTM", to_unit="QLNL", action="transfer", at=at)
    part = UnitAssignment(unit_code="QLNL", role="coordinating", due_at=local(2024, 3, 6, 17))
    moved = DispatchReassigned(dispatch_id="pk1", correlation_id="pk1", from_unit="QLTM",
                               assignment=part, chain=[hop], reason="QLTM chuyển", occurred_at=at)
    batch = WriteBatch()
    recording.add_reassigned(batch, moved, WorkCalendar(), inherited=["QLCN"])
    assert batch.assignments[0].fields["lead_units"] == ["QLCN"]
    assert batch.assignments[0].fields["role"] == "coordinating"
    fields, _ = recording.reopened(moved, WorkCalendar(), 1, "pk1:QLNL", 2, ["QLCN"])
    assert fields["lead_units"] == ["QLCN"]
