"""A package that revokes, replaces or updates an earlier document: what the router plans. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from services.router.exchange import (
    FiledDocument,
    acts_on_earlier,
    holders,
    link_note,
    plan_exchange,
    withdrawn_event,
)
from services.router.model import Assignment, RoutingDecision
from services.router.reassignment import Hop
from shared.events import DispatchReceived
from shared.events_exchange import BusinessKind, ExchangeDetails

DOC_ID = "000.00.12.H53,2024/02/05,45/SCT-VP"
NOW = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)


def package(business: BusinessKind, *acted_on: str, source: str = "truc-lien-thong",
            dispatch_id: str = "d-new") -> DispatchReceived:
    return DispatchReceived(
        dispatch_id=dispatch_id, correlation_id=dispatch_id, source_system=source,
        document_id=DOC_ID, subject="V/v thu hồi Công văn số 45/SCT-VP",
        exchange=ExchangeDetails(business=business, acted_on=list(acted_on),
                                 reason="Ban hành nhầm đối tượng"))


def filed(dispatch_id: str = "d-old", withdrawn_by: str | None = None,
          source: str = "truc-lien-thong", document_id: str = DOC_ID) -> FiledDocument:
    return FiledDocument(dispatch_id=dispatch_id, document_id=document_id, source_system=source,
                         subject="V/v kiểm tra thị trường", number="45", notation="SCT-VP",
                         withdrawn_by=withdrawn_by)


def test_a_new_document_is_routed_and_filed_by_its_document_id() -> None:
    new = package(BusinessKind.NEW)
    assert not acts_on_earlier(new)
    assert plan_exchange(new, []).route
    assert FiledDocument.of(new) == FiledDocument("d-new", DOC_ID, "truc-lien-thong",
                                                  "V/v thu hồi Công văn số 45/SCT-VP")
    assert FiledDocument.of(new.model_copy(update={"document_id": None})) is None


def test_a_revoke_withdraws_the_earlier_dispatch_and_is_not_routed() -> None:
    revoke = package(BusinessKind.REVOKE, DOC_ID)
    plan = plan_exchange(revoke, [filed(), filed("d-new")])  # its own entry never counts
    assert acts_on_earlier(revoke)
    assert [f.dispatch_id for f in plan.withdraw] == ["d-old"]
    assert (plan.route, plan.triage) == (False, None)


def test_a_revoke_naming_an_unknown_document_goes_to_the_office() -> None:
    plan = plan_exchange(package(BusinessKind.REVOKE, DOC_ID), [filed(source="another-axis")])
    assert plan.withdraw == [] and plan.route
    assert plan.triage == (f"Gói tin liên thông đề nghị thu hồi văn bản, nhưng không tìm thấy "
                           f"văn bản có mã định danh {DOC_ID}.")
    twice = plan_exchange(package(BusinessKind.REVOKE, DOC_ID), [filed(withdrawn_by="d-other")])
    assert twice.triage is not None and "đã bị thu hồi hoặc thay thế trước đó" in twice.triage


def test_a_redelivered_revoke_withdraws_again_with_the_same_event_id() -> None:
    revoke = package(BusinessKind.REVOKE, DOC_ID)
    again = plan_exchange(revoke, [filed(withdrawn_by="d-new")])
    assert [f.dispatch_id for f in again.withdraw] == ["d-old"] and again.triage is None
    first = withdrawn_event(filed(), revoke, ["QLTM"], NOW)
    assert withdrawn_event(filed(), revoke, ["QLTM"], NOW).event_id == first.event_id
    assert (first.dispatch_id, first.by_dispatch_id, first.business) == ("d-old", "d-new", "revoke")
    assert (first.reason, first.number, first.units) == ("Ban hành nhầm đối tượng", "45", ["QLTM"])
    assert not first.replaced


def test_a_replacement_withdraws_the_earlier_and_is_routed_with_the_link() -> None:
    replace = package(BusinessKind.REPLACE, DOC_ID)
    plan = plan_exchange(replace, [filed()])
    assert plan.route and plan.triage is None and len(plan.withdraw) == 1
    assert link_note(plan, replace) == ("Văn bản này thay thế văn bản số 45/SCT-VP (mã d-old): "
                                        "văn bản cũ dừng xử lý.")
    unknown = plan_exchange(package(BusinessKind.UPDATE, "other-id"), [])
    assert unknown.route and unknown.triage is None
    assert link_note(unknown, package(BusinessKind.UPDATE, "other-id")) == (
        "Văn bản cập nhật văn bản trước, nhưng không tìm thấy văn bản có mã định danh other-id: "
        "xử lý như văn bản mới.")


def test_the_units_told_are_those_that_held_it() -> None:
    at = NOW
    decision = RoutingDecision(dispatch_id="d-old", rule_id="r", reason="x", assignments=[
        Assignment(unit_code=u, role="lead", due_at=at, ack_due_at=at, task="t")
        for u in ("QLTM", "QLCN")])
    hop = Hop(from_unit="QLTM", to_unit="VP", action="transfer", at=at)
    assert holders(decision, [hop]) == ["QLTM", "QLCN", "VP"]
    assert holders(None, []) == []
