"""The identity of an assignment (one unit's share of one dispatch), written once.

The tracker stores each assignment, and its deadline check, under this id; the API, the dashboard,
the bench and the tests look them up by it.
"""

from __future__ import annotations


def assignment_id(dispatch_id: str, unit_code: str) -> str:
    """The id of ``unit_code``'s assignment on ``dispatch_id``: ``"<dispatch_id>:<unit_code>"``.

    A unit has at most one assignment per dispatch (a reassignment back to it reopens that one), so
    the pair is the identity.
    """
    return f"{dispatch_id}:{unit_code}"
