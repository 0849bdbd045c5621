"""A package that revokes, replaces or updates an earlier document (edXML ``Bussiness``). Pure.

The earlier document is matched by its DocumentId (``DispatchReceived.document_id``, kept by the
router for every dispatch it routes) among the dispatches of the same sending system; the package
names it in :attr:`~shared.events_exchange.ExchangeDetails.acted_on`. Then (ADR 0016):

- **revoke** (thu hồi): every earlier dispatch found is withdrawn; the package itself is not routed
  (no new assignments). A DocumentId not found, or found only already withdrawn by another package,
  sends the package to the Office's triage with the reason: never silently dropped.
- **replace** (thay thế) and **update** (cập nhật): every earlier dispatch found is withdrawn and the
  package is routed as usual, as the document that takes its place; a DocumentId not found is said
  in the routing reason (the package is handled as a new document).

A dispatch already withdrawn by *this* package (a redelivery) is withdrawn again: the events carry
ids derived from both dispatches, so the consumers drop the repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.router.model import RoutingDecision
from services.router.reassignment import Hop
from shared.events import DispatchReceived, derived_event_id
from shared.events_exchange import BusinessKind
from shared.events_withdrawal import DispatchWithdrawn

ACTS = {BusinessKind.REVOKE: "thu hồi", BusinessKind.REPLACE: "thay thế",
        BusinessKind.UPDATE: "cập nhật"}
"""What a package does to the earlier document, in a clerk's words."""


@dataclass(frozen=True)
class FiledDocument:
    """A routed dispatch as the router indexes it by DocumentId."""

    dispatch_id: str
    document_id: str
    source_system: str
    subject: str | None = None
    number: str | None = None
    notation: str | None = None
    withdrawn_by: str | None = None
    """The dispatch of the package that withdrew it, once withdrawn."""

    @classmethod
    def of(cls, event: DispatchReceived) -> FiledDocument | None:
        """The index entry of a received dispatch; None without a DocumentId."""
        if not event.document_id:
            return None
        return cls(dispatch_id=event.dispatch_id, document_id=event.document_id,
                   source_system=event.source_system, subject=event.subject,
                   number=event.number, notation=event.notation)


@dataclass(frozen=True)
class ExchangePlan:
    """What to do with a package acting on earlier documents."""

    withdraw: list[FiledDocument] = field(default_factory=list)
    route: bool = False
    """Route the package as a document of its own (replace, update, or triage)."""
    triage: str | None = None
    """Why the Office must look at it (a revoke that found nothing to revoke)."""
    note: str | None = None
    """What the routing reason must add (a replaced document not found)."""


def acts_on_earlier(event: DispatchReceived) -> bool:
    """Whether ``event`` revokes, replaces or updates an earlier document."""
    return event.exchange is not None and event.exchange.acts_on_earlier


def plan_exchange(event: DispatchReceived, found: list[FiledDocument]) -> ExchangePlan:
    """The plan for ``event`` given the dispatches ``found`` under its DocumentIds (module doc)."""
    exchange = event.exchange
    if exchange is None or not exchange.acts_on_earlier:
        return ExchangePlan(route=True)
    act = ACTS[exchange.business]
    same = [f for f in found if f.source_system == event.source_system
            and f.dispatch_id != event.dispatch_id and f.document_id in exchange.acted_on]
    withdraw = [f for f in same if f.withdrawn_by in (None, event.dispatch_id)]
    hit = {f.document_id for f in withdraw}
    gone = [i for i in exchange.acted_on if i not in hit and any(f.document_id == i for f in same)]
    unknown = [i for i in exchange.acted_on if i not in hit and i not in gone]
    missing = "; ".join(
        [f"không tìm thấy văn bản có mã định danh {i}" for i in unknown]
        + [f"văn bản có mã định danh {i} đã bị thu hồi hoặc thay thế trước đó" for i in gone])
    if exchange.business is BusinessKind.REVOKE:
        if not missing:
            return ExchangePlan(withdraw=withdraw)
        return ExchangePlan(withdraw=withdraw, route=True, triage=(
            f"Gói tin liên thông đề nghị {act} văn bản, nhưng {missing}."))
    note = f"Văn bản {act} văn bản trước, nhưng {missing}: xử lý như văn bản mới." if missing else None
    return ExchangePlan(withdraw=withdraw, route=True, note=note)


def holders(decision: RoutingDecision | None, hops: list[Hop]) -> list[str]:
    """The units that held a dispatch: its routing decision's, then those it was moved to."""
    units = [a.unit_code for a in decision.assignments] if decision is not None else []
    return list(dict.fromkeys([*units, *(h.to_unit for h in hops)]))


def link_note(plan: ExchangePlan, event: DispatchReceived) -> str | None:
    """The routing reason's addition for a replacing package: which dispatches it replaces."""
    if not plan.withdraw or event.exchange is None:
        return plan.note
    act = ACTS[event.exchange.business]
    names = ", ".join(_ref(f) for f in plan.withdraw)
    said = f"Văn bản này {act} văn bản {names}: văn bản cũ dừng xử lý."
    return f"{said} {plan.note}" if plan.note else said


def _ref(filed: FiledDocument) -> str:
    number = "/".join(p for p in (filed.number, filed.notation) if p)
    return f"số {number} (mã {filed.dispatch_id})" if number else f"mã {filed.dispatch_id}"


def withdrawn_event(earlier: FiledDocument, event: DispatchReceived, units: list[str],
                    now: datetime) -> DispatchWithdrawn:
    """``DispatchWithdrawn`` of ``earlier`` by the package ``event`` (id derived from both)."""
    exchange = event.exchange
    business = exchange.business if exchange is not None else BusinessKind.REVOKE
    return DispatchWithdrawn(
        event_id=derived_event_id("withdrawn", earlier.dispatch_id, event.dispatch_id),
        occurred_at=now, correlation_id=earlier.dispatch_id, dispatch_id=earlier.dispatch_id,
        document_id=earlier.document_id, business=business, by_dispatch_id=event.dispatch_id,
        by_subject=event.subject, reason=exchange.reason if exchange is not None else None,
        subject=earlier.subject, number=earlier.number, notation=earlier.notation, units=units)
