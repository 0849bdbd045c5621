"""The status ladder of an assignment (edXML status codes), and which responses may move it. Pure.

received (01) → acknowledged (03) → assigned inside the unit (04) → in progress (05) → completed (06);
side exits: declined, transferred (to another unit, by the router), cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.events import ResponseAction


class Status(StrEnum):
    """Where an assignment stands."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


EDXML_CODE: dict[Status, str] = {
    Status.RECEIVED: "01", Status.ACKNOWLEDGED: "03", Status.ASSIGNED: "04",
    Status.IN_PROGRESS: "05", Status.COMPLETED: "06",
}
"""QCVN 102:2016 status codes for the statuses that have one."""

CLOSED: frozenset[Status] = frozenset(
    {Status.COMPLETED, Status.DECLINED, Status.TRANSFERRED, Status.CANCELLED}
)
OPEN: frozenset[Status] = frozenset(Status) - CLOSED

_TARGET: dict[ResponseAction, Status] = {
    ResponseAction.ACKNOWLEDGE: Status.ACKNOWLEDGED,
    ResponseAction.PROGRESS: Status.IN_PROGRESS,
    ResponseAction.COMPLETE: Status.COMPLETED,
    ResponseAction.DECLINE: Status.DECLINED,
    ResponseAction.TRANSFER: Status.TRANSFERRED,
}
_RANK = {Status.RECEIVED: 0, Status.ACKNOWLEDGED: 1, Status.ASSIGNED: 2, Status.IN_PROGRESS: 3,
         Status.COMPLETED: 4}


@dataclass(frozen=True)
class Transition:
    """The outcome of applying a response: the new status, or why it is refused."""

    new_status: Status | None
    refusal: str | None = None


def apply_response(current: Status, action: ResponseAction) -> Transition:
    """Return the status ``action`` moves ``current`` to, or the reason it may not.

    Progress may be reported repeatedly; declining or transferring is possible until completion.
    """
    target = _TARGET[action]
    if current in CLOSED:
        return Transition(None, f"assignment is already {current.value}; '{action.value}' refused")
    if target in (Status.DECLINED, Status.TRANSFERRED):
        return Transition(target)
    if target is Status.IN_PROGRESS and current is Status.IN_PROGRESS:
        return Transition(target)
    if _RANK[target] <= _RANK[current]:
        return Transition(None, f"cannot go back from {current.value} to {target.value}")
    return Transition(target)
