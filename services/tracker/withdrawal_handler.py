"""The tracker's consumer of ``DispatchWithdrawn`` (issue 19): see :mod:`services.tracker.withdrawal`."""

from __future__ import annotations

from services.tracker.ladder import Status
from services.tracker.records import AssignmentRecord
from services.tracker.repository import TrackerRepository
from services.tracker.withdrawal import withdrawal_entries
from services.tracker.writes import SetFields, WriteBatch
from shared.events_withdrawal import DispatchWithdrawn
from shared.logging import get_logger

log = get_logger(__name__)


class WithdrawalHandler:
    """Applies ``DispatchWithdrawn``: cancels open assignments, marks and links the dispatches."""

    def __init__(self, repo: TrackerRepository) -> None:
        self.repo = repo

    async def on_withdrawn(self, events: list[DispatchWithdrawn]) -> None:
        """Apply each withdrawal once (its timeline entry, written last, marks it applied)."""
        seen = await self.repo.applied_event_ids([e.event_id for e in events])
        for event in (e for e in events if e.event_id not in seen):
            found = await self.repo.assignments_list(dispatch_id=event.dispatch_id, open_only=True)
            open_ = [AssignmentRecord.from_doc(d) for d in found]
            for a in open_:
                await self.repo.set_assignment(a.id, {
                    "status": Status.CANCELLED.value, "status_changed_at": event.occurred_at,
                    "cancelled_by": event.by_dispatch_id})
                await self.repo.close_check(a.id, a.round)
            batch = WriteBatch()
            batch.dispatches.append(SetFields(event.dispatch_id, {"withdrawn": {
                "business": event.business.value, "by_dispatch_id": event.by_dispatch_id,
                "at": event.occurred_at, "reason": event.reason}}))
            batch.timeline.extend(withdrawal_entries(event, [a.unit_code for a in open_]))
            await self.repo.apply(batch)
            log.warning("dispatch withdrawn", dispatch_id=event.dispatch_id,
                        event_id=event.event_id, business=event.business.value,
                        by_dispatch_id=event.by_dispatch_id, cancelled=[a.unit_code for a in open_])
