"""The status ladder: what a unit's response may do to its assignment."""

from __future__ import annotations

import pytest

from services.tracker.ladder import Status, apply_response
from shared.events import ResponseAction as A


@pytest.mark.parametrize(("start", "action", "end"), [
    (Status.RECEIVED, A.ACKNOWLEDGE, Status.ACKNOWLEDGED),
    (Status.RECEIVED, A.COMPLETE, Status.COMPLETED),
    (Status.ACKNOWLEDGED, A.PROGRESS, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, A.PROGRESS, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, A.COMPLETE, Status.COMPLETED),
    (Status.ACKNOWLEDGED, A.DECLINE, Status.DECLINED),
    (Status.IN_PROGRESS, A.TRANSFER, Status.TRANSFERRED),
])
def test_allowed_moves(start: Status, action: A, end: Status) -> None:
    assert apply_response(start, action).new_status is end


@pytest.mark.parametrize(("start", "action", "reason"), [
    (Status.COMPLETED, A.COMPLETE, "already completed"),
    (Status.COMPLETED, A.DECLINE, "already completed"),
    (Status.DECLINED, A.ACKNOWLEDGE, "already declined"),
    (Status.IN_PROGRESS, A.ACKNOWLEDGE, "cannot go back"),
    (Status.ACKNOWLEDGED, A.ACKNOWLEDGE, "cannot go back"),
])
def test_refused_moves_say_why(start: Status, action: A, reason: str) -> None:
    transition = apply_response(start, action)
    assert transition.new_status is None and reason in (transition.refusal or "")
