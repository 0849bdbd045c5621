"""In-memory stand-ins for what deadline extensions touch: the tracker's assignments and deadline
checks as the consumer writes them and the detector reads them, and the requests' store."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterable
from typing import Any

from services.tracker.extensions import AssignmentExtensions, ExtensionRequest, RequestStatus
from services.tracker.records import AssignmentRecord, CheckRecord, SignalClaim
from services.tracker.writes import NewDocument, WriteBatch
from tests.service.tracker_fakes import InMemoryTrackerRepository

Doc = dict[str, Any]


class TimedTrackerRepository(InMemoryTrackerRepository):
    """The in-memory tracker repository, plus deadline checks, claims and receipts, so the
    consumer's creations and the detector's reads and claims run against it."""

    def __init__(self) -> None:
        super().__init__()
        self.checks: dict[str, CheckRecord] = {}
        self.claims: dict[str, SignalClaim] = {}
        self.receipts: set[str] = set()

    async def apply(self, batch: WriteBatch) -> int:
        for target, writes in ((self.dispatches, batch.dispatches),
                               (self.assignments, batch.assignments)):
            for write in writes:
                if isinstance(write, NewDocument):
                    target.setdefault(write.id, {"_id": write.id, **write.fields})
                else:
                    target.setdefault(write.id, {"_id": write.id}).update(write.fields)
        for check in batch.checks:
            self.checks.setdefault(check.id, check)
        return await super().apply(batch)

    async def reschedule(self, check: CheckRecord) -> None:
        self.checks[check.id] = check

    async def checks_by_id(self, ids: Iterable[str]) -> dict[str, CheckRecord]:
        return {i: self.checks[i] for i in ids if i in self.checks}

    async def assignments_by_id(self, ids: Iterable[str]) -> dict[str, AssignmentRecord]:
        return {i: AssignmentRecord.from_doc(copy.deepcopy(self.assignments[i]))
                for i in ids if i in self.assignments}

    async def claim_signals(self, claims: list[SignalClaim]) -> set[str]:
        won = {c.id for c in claims if c.id not in self.claims}
        for claim in claims:
            self.claims.setdefault(claim.id, claim)
        return won

    async def add_receipts(self, claim_ids: list[str]) -> None:
        self.receipts.update(claim_ids)

    async def has_receipt(self, claim_id: str) -> bool:
        return claim_id in self.receipts

    async def claim(self, claim_id: str) -> SignalClaim | None:
        return self.claims.get(claim_id)

    # --- what a replica taking over partitions reads (no timer pages: the scan path) ---

    async def receipt_ids(self) -> set[str]:
        return set(self.receipts)

    async def closed_rounds(self) -> set[str]:
        return set(self.closures)

    async def pages_complete(self) -> bool:
        return False

    async def load_checks(self, closed: set[str]) -> AsyncIterator[CheckRecord]:
        for check in list(self.checks.values()):
            if f"{check.id}:r{check.round}" not in closed:
                yield check


class InMemoryExtensionRepository:
    """Behaves like ExtensionRepository, reading the extension counts off ``tracker``'s
    assignments."""

    def __init__(self, tracker: InMemoryTrackerRepository) -> None:
        self.tracker = tracker
        self.docs: dict[str, Doc] = {}

    async def add(self, request: ExtensionRequest) -> bool:
        if request.id in self.docs:
            return False
        self.docs[request.id] = request.as_doc()
        return True

    async def request(self, request_id: str) -> ExtensionRequest | None:
        doc = self.docs.get(request_id)
        return None if doc is None else ExtensionRequest.from_doc(doc)

    async def listed(self, *, status: RequestStatus | None = None, unit_code: str | None = None,
                     dispatch_id: str | None = None, limit: int = 500) -> list[ExtensionRequest]:
        rows = [ExtensionRequest.from_doc(d) for d in self.docs.values()
                if status in (None, d["status"]) and unit_code in (None, d["unit_code"])
                and dispatch_id in (None, d["dispatch_id"])]
        return sorted(rows, key=lambda r: r.requested_at,
                      reverse=status is not RequestStatus.PENDING)[:limit]

    async def decide(self, request_id: str, fields: Doc) -> None:
        self.docs[request_id].update(fields)

    async def so_far(self, assignment_id: str) -> AssignmentExtensions:
        assignment = self.tracker.assignments.get(assignment_id, {})
        pending = [i for i, d in self.docs.items()
                   if d["assignment_id"] == assignment_id and d["status"] == "pending"]
        return AssignmentExtensions(extended=int(assignment.get("extensions") or 0),
                                    pending=pending[0] if pending else None,
                                    original_due_at=assignment.get("original_due_at"),
                                    last_extension_id=assignment.get("last_extension_id"))
