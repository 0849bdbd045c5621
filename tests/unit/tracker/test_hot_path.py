"""The tracker's hot path (received and assigned dispatches) decides a batch in pure code and writes
it without reading first: a redelivered batch, even mixed with new events, changes nothing and
still hands every check to the timers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.tracker.handlers import TrackerHandlers
from services.tracker.records import CheckRecord
from services.tracker.writes import WriteBatch
from shared.events import AssignmentRole, DispatchAssigned, DispatchReceived, UnitAssignment
from shared.workdays import WorkCalendar
from tests.service.twice import InMemoryTrackerStore

DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)


class NoReads(InMemoryTrackerStore):
    """Counts bulk applies and refuses the read the hot path must not make."""

    def __init__(self) -> None:
        super().__init__()
        self.applied: list[WriteBatch] = []

    async def applied_event_ids(self, event_ids: list[str]) -> set[str]:
        raise AssertionError("the hot path reads nothing before it writes")

    async def apply(self, batch: WriteBatch) -> int:
        self.applied.append(batch)
        return await super().apply(batch)


def _pair(n: int) -> tuple[DispatchReceived, DispatchAssigned]:
    did = f"d{n}"
    return (DispatchReceived(dispatch_id=did, correlation_id=did, source_system="demo",
                             subject=f"V/v số {n}"),
            DispatchAssigned(dispatch_id=did, correlation_id=did, subject=f"V/v số {n}",
                             rule_id="r1", reason="test",
                             assignments=[UnitAssignment(unit_code=u, role=AssignmentRole.LEAD,
                                                         due_at=DUE,
                                                         ack_due_at=DUE - timedelta(days=5))
                                          for u in ("VP", "QLTM")]))


async def test_a_batch_is_one_apply_and_a_redelivered_one_mixed_with_new_events_changes_nothing(
) -> None:
    repo = NoReads()
    watched: list[CheckRecord] = []
    handlers = TrackerHandlers(repo, None, WorkCalendar(), watch=watched.append)  # type: ignore[arg-type]
    first = [_pair(n) for n in range(3)]
    await handlers.on_received([r for r, _ in first])
    await handlers.on_assigned([a for _, a in first])
    assert len(repo.applied) == 2  # one bulk decision per consumed batch
    assert repo.applied[1].creations_only
    before = {k: dict(v) for k, v in repo.assignments.items()}
    repo.assignments["d0:VP"]["status"] = "completed"  # changed since by a response

    more = [*first, _pair(3)]  # the batch is redelivered with one new event
    await handlers.on_received([r for r, _ in more])
    await handlers.on_assigned([a for _, a in more])
    assert repo.assignments["d0:VP"]["status"] == "completed"  # the repeat did not overwrite it
    assert set(repo.assignments) == set(before) | {"d3:VP", "d3:QLTM"}
    assert len(repo.dispatches) == 4 and len(repo.timeline) == 8  # each event once
    # every check goes to the timers, redelivered ones too (a replica may have loaded too early)
    assert [c.id for c in watched].count("d1:QLTM") == 2 and len(watched) == 6 + 8
