"""A unit's response survives a crash at any point of its application: the redelivery publishes the
edXML status change (same derived event id, so consumers drop a copy) and finishes the timeline.

Before the fix, a crash after the assignment's update lost the status message for good.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.tracker.handlers import TrackerHandlers
from shared import topics
from shared.events import ResponseAction, UnitResponded, derived_event_id
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import (
    ONE_DUE_AT,
    InMemoryTrackerRepository,
    RecordingBroker,
    repository_with_one_assignment,
)

DUE = ONE_DUE_AT


def _parts(status: str = "acknowledged") -> tuple[InMemoryTrackerRepository, RecordingBroker,
                                                   TrackerHandlers]:
    repo, broker = repository_with_one_assignment(status), RecordingBroker()
    handlers = TrackerHandlers(repo, broker, WorkCalendar())  # type: ignore[arg-type]
    return repo, broker, handlers


def _complete() -> UnitResponded:
    return UnitResponded(dispatch_id="d1", correlation_id="d1", unit_code="QLTM",
                         action=ResponseAction.COMPLETE, note="Đã gửi báo cáo",
                         occurred_at=DUE - timedelta(days=1), responded_by="QLTM")


@pytest.mark.parametrize("crash", ["publish", "close_check", "record"])
async def test_a_redelivery_after_a_crash_publishes_the_status_change(crash: str) -> None:
    repo, broker, handlers = _parts()
    event = _complete()
    if crash == "publish":  # after the update, before the status message
        broker.fail_topic = topics.ASSIGNMENT_STATUS_CHANGED
    else:
        repo.fail_on = crash
    with pytest.raises(Exception):  # noqa: B017 - the crash, whatever it is
        await handlers.on_responded([event])
    assert repo.assignments["d1:QLTM"]["status"] == "completed"  # the update happened
    assert event.event_id not in repo.timeline  # so the event is delivered again

    await handlers.on_responded([event])  # the redelivery

    changes: list[Any] = broker.on(topics.ASSIGNMENT_STATUS_CHANGED)
    assert changes, "the edXML status change was lost"
    assert {c.event_id for c in changes} == {derived_event_id("status", event.event_id)}
    assert {(c.status, c.edxml_code) for c in changes} == {("completed", "06")}
    assert repo.timeline[event.event_id]["status"] == "completed"
    assert "d1:QLTM:r0" in repo.closures
    assert not broker.on(topics.DEAD_LETTER)  # applied, not refused as "already completed"

    await handlers.on_responded([event])  # once recorded, a further delivery changes nothing
    assert len(broker.on(topics.ASSIGNMENT_STATUS_CHANGED)) == len(changes)


async def test_the_redelivery_announces_the_status_this_response_set() -> None:
    """Even when the assignment moved on since (e.g. reopened for a new round)."""
    repo, broker, handlers = _parts()
    event = _complete()
    broker.fail_topic = topics.ASSIGNMENT_STATUS_CHANGED
    with pytest.raises(Exception):  # noqa: B017
        await handlers.on_responded([event])
    repo.assignments["d1:QLTM"].update(status="received", round=1)  # reopened meanwhile
    await handlers.on_responded([event])
    [change] = broker.on(topics.ASSIGNMENT_STATUS_CHANGED)
    assert change.status == "completed"
