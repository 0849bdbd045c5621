"""Issue 19 through the handlers (in memory): an urgent package gets the shorter deadlines; a
package revoking an earlier document cancels that dispatch's open assignments, links the two on
their timelines and its units are told; a revoke naming an unknown DocumentId goes to the Office's
triage; a replacement is routed and withdraws the one it replaces."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from services.notifier.delivery import DeliveryService, InMemoryDeliveryLog
from services.notifier.messages import MessageRenderer
from services.notifier.withdrawal_handler import WithdrawalNotices
from services.notifier.withdrawal_notices import outgoings
from services.router.handlers import RouterHandlers
from services.router.rules import load_rules
from services.tracker.handlers import TrackerHandlers
from services.tracker.withdrawal import withdrawal_words
from shared import topics
from shared.clock import VIETNAM_TZ, FixedClock
from shared.events import DispatchAssigned, DispatchReceived
from shared.events_exchange import BusinessKind, ExchangeDetails, Urgency
from shared.events_withdrawal import DispatchWithdrawn
from shared.organisation import load_organisation
from shared.workdays import WorkCalendar
from tests.service.fakes import InMemoryRoutingRepository
from tests.service.tracker_fakes import InMemoryTrackerRepository, RecordingBroker
from tests.unit.notifier.factories import sample_directory
from tests.unit.notifier.fakes import SpyChannel

CONFIG = Path(__file__).resolve().parents[2] / "config"
MONDAY_9 = datetime(2024, 3, 4, 9, 0, tzinfo=VIETNAM_TZ)
DOC_ID = "000.00.12.H53,2024/03/04,45/SCT-QLTM"
ORG = load_organisation(CONFIG / "organisation.sample.yaml")


def router() -> tuple[RouterHandlers, RecordingBroker, InMemoryRoutingRepository]:
    broker, repo = RecordingBroker(), InMemoryRoutingRepository()
    handlers = RouterHandlers(broker, repo, ORG, load_rules(CONFIG / "routing-rules.yaml", ORG),  # type: ignore[arg-type]
                              FixedClock(MONDAY_9))
    return handlers, broker, repo


def received(dispatch_id: str, business: BusinessKind = BusinessKind.NEW,
             acted_on: tuple[str, ...] = (), **fields: Any) -> DispatchReceived:
    base: dict[str, Any] = {
        "subject": "V/v kiểm tra thị trường xăng dầu dịp cuối quý", "number": "45",
        "notation": "SCT-QLTM", "doc_type": "Công văn", "document_id": DOC_ID}
    return DispatchReceived(
        dispatch_id=dispatch_id, correlation_id=dispatch_id, source_system="truc-lien-thong",
        occurred_at=MONDAY_9, exchange=ExchangeDetails(business=business, acted_on=list(acted_on),
                                                       reason="Ban hành nhầm đối tượng"),
        **(base | fields))


async def test_an_express_dispatch_gets_the_shorter_deadlines_and_carries_its_urgency() -> None:
    handlers, broker, _ = router()
    await handlers.on_received([received("d-fast", urgency=Urgency.EXPRESS),
                                received("d-slow", document_id=None)])
    fast, slow = (next(a for a in broker.on(topics.DISPATCH_ASSIGNED) if a.dispatch_id == d)
                  for d in ("d-fast", "d-slow"))
    assert fast.urgency is Urgency.EXPRESS and slow.urgency is None
    lead = next(a for a in fast.assignments if a.role == "lead")
    assert lead.due_at == datetime(2024, 3, 5, 17, tzinfo=VIETNAM_TZ)  # 1 working day
    assert lead.ack_due_at == datetime(2024, 3, 4, 11, tzinfo=VIETNAM_TZ)  # 2 working hours
    assert "văn bản hỏa tốc" in fast.reason
    slow_lead = next(a for a in slow.assignments if a.role == "lead")
    assert slow_lead.due_at == datetime(2024, 3, 13, 17, tzinfo=VIETNAM_TZ)  # Công văn: 7 days


async def test_a_revoke_cancels_the_earlier_dispatch_and_its_units_are_told() -> None:
    handlers, broker, _ = router()
    await handlers.on_received([received("d-old")])
    [assigned] = broker.on(topics.DISPATCH_ASSIGNED)
    tracker_repo = InMemoryTrackerRepository()
    tracker = TrackerHandlers(tracker_repo, RecordingBroker(), WorkCalendar())  # type: ignore[arg-type]
    _hold(tracker_repo, assigned)
    first = assigned.assignments[0].unit_code
    tracker_repo.assignments[f"d-old:{first}"]["status"] = "completed"  # done already: stays so

    revoke = received("d-rev", BusinessKind.REVOKE, (DOC_ID,), subject="V/v thu hồi Công văn 45")
    await handlers.on_received([revoke])
    await handlers.on_received([revoke])  # redelivered: the same event again
    assert [a.dispatch_id for a in broker.on(topics.DISPATCH_ASSIGNED)] == ["d-old"]  # not routed
    withdrawn: list[DispatchWithdrawn] = broker.on(topics.DISPATCH_WITHDRAWN)
    assert len({w.event_id for w in withdrawn}) == 1
    event = withdrawn[0]
    units = [a.unit_code for a in assigned.assignments]
    assert (event.dispatch_id, event.by_dispatch_id, event.units) == ("d-old", "d-rev", units)

    await tracker.withdrawals.on_withdrawn(withdrawn)  # both deliveries: applied once
    statuses = {a["unit_code"]: a["status"] for a in tracker_repo.assignments.values()}
    assert statuses == {u: "completed" if u == first else "cancelled" for u in units}
    assert {f"d-old:{u}:r0" for u in units if u != first} <= tracker_repo.closures
    entries = [t for t in tracker_repo.timeline.values() if t["event_type"] == "dispatch.withdrawn"]
    assert {t["dispatch_id"] for t in entries} == {"d-old", "d-rev"}
    old = next(t for t in entries if t["dispatch_id"] == "d-old")
    words = withdrawal_words(old, {})
    assert words.startswith("Văn bản bị thu hồi bởi văn bản mã d-rev («V/v thu hồi Công văn 45»)")
    assert "Lý do: Ban hành nhầm đối tượng" in words
    new = next(t for t in entries if t["dispatch_id"] == "d-rev")
    assert withdrawal_words(new, {}).startswith("Văn bản này thu hồi văn bản số 45/SCT-QLTM, mã d-old")

    spy = SpyChannel()
    delivery = DeliveryService({"email": spy, "webhook": spy, "log": spy}, InMemoryDeliveryLog(),
                               MessageRenderer("http://t"))
    notices = WithdrawalNotices(sample_directory(), delivery, RecordingBroker(), "http://t")  # type: ignore[arg-type]
    await notices.on_events(withdrawn)  # the redelivered copy finds its keys taken
    assert len(spy.delivered) == len(outgoings(event, sample_directory(), "http://t"))
    told = {o.message.data["unit_code"] for o in spy.delivered if not o.message.data["cc"]}
    assert told == set(units)
    assert all(o.message.subject.startswith("[Vanthu] Văn bản đã bị thu hồi: số 45/SCT-QLTM")
               for o in spy.delivered)


async def test_a_revoke_naming_an_unknown_document_goes_to_the_office_triage() -> None:
    handlers, broker, _ = router()
    await handlers.on_received([received("d-rev", BusinessKind.REVOKE, ("unknown-id",))])
    assert broker.on(topics.DISPATCH_WITHDRAWN) == []
    [triage] = broker.on(topics.DISPATCH_ASSIGNED)
    assert triage.rule_id == "triage" and [a.unit_code for a in triage.assignments] == ["VP"]
    assert "không tìm thấy văn bản có mã định danh unknown-id" in triage.reason


async def test_a_replacement_in_the_same_batch_withdraws_the_earlier_and_is_routed() -> None:
    handlers, broker, repo = router()
    replace = received("d-new", BusinessKind.REPLACE, (DOC_ID,), subject="V/v kiểm tra thị trường "
                       "xăng dầu dịp cuối quý (thay thế)")
    await handlers.on_received([replace, received("d-old")])  # the earlier one routed first
    assigned = {a.dispatch_id: a for a in broker.on(topics.DISPATCH_ASSIGNED)}
    assert set(assigned) == {"d-old", "d-new"}
    assert "Văn bản này thay thế văn bản số 45/SCT-QLTM (mã d-old)" in assigned["d-new"].reason
    [withdrawn] = broker.on(topics.DISPATCH_WITHDRAWN)
    assert (withdrawn.dispatch_id, withdrawn.business) == ("d-old", "replace")
    assert repo.filed["d-old"].withdrawn_by == "d-new" and "d-new" in repo.filed


def _hold(repo: InMemoryTrackerRepository, assigned: DispatchAssigned) -> None:
    """The tracker's assignments of a routing decision (as its on_assigned writes them)."""
    for a in assigned.assignments:
        repo.assignments[f"{assigned.dispatch_id}:{a.unit_code}"] = {
            "_id": f"{assigned.dispatch_id}:{a.unit_code}", "dispatch_id": assigned.dispatch_id,
            "unit_code": a.unit_code, "role": a.role.value, "status": "received", "round": 0,
            "due_at": a.due_at, "ack_due_at": a.ack_due_at}
