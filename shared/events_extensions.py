"""Events of deadline extensions (xin gia hạn): a unit asks for a later deadline, leadership decides.

Kept apart from :mod:`shared.events` (which stays under its size); the same rules hold: past tense,
:class:`~shared.events.EventMeta` on each, additive changes only within ``v1``. Both are keyed by
``dispatch_id``, so a request and its decision travel on the partition of the dispatch, in order.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.event_parts import AssignmentRole, AwareDatetime, Id, Note, Subject
from shared.events import EventMeta


class ExtensionRequested(EventMeta):
    """A unit asked, before its deadline, for a later one, with a reason (``event_id`` is the
    request's id, ``request_id`` the same value for readers)."""

    event_type: Literal["extension.requested"] = "extension.requested"
    dispatch_id: Id
    unit_code: Id
    request_id: Id = Field(description="The request's id (the same as event_id).")
    role: AssignmentRole = AssignmentRole.LEAD
    subject: Subject | None = Field(default=None, description="Trích yếu of the dispatch.")
    current_due_at: AwareDatetime = Field(description="The deadline when the request was made.")
    new_due_at: AwareDatetime = Field(description="The deadline the unit asks for.")
    reason: Note
    requested_by: Id = Field(description="Who asked: a desk login or a unit token's name.")


class ExtensionDecided(EventMeta):
    """Leadership approved or refused a request for a later deadline. An approval moves the
    assignment's deadline to ``new_due_at`` and re-arms its reminders and escalations; a refusal
    changes nothing. Either way the unit is told."""

    event_type: Literal["extension.decided"] = "extension.decided"
    dispatch_id: Id
    unit_code: Id
    request_id: Id
    approved: bool
    subject: Subject | None = Field(default=None, description="Trích yếu of the dispatch.")
    current_due_at: AwareDatetime = Field(description="The deadline before the decision.")
    new_due_at: AwareDatetime = Field(description="The deadline asked for (set if approved).")
    note: Note | None = Field(default=None, description="Leadership's words to the unit.")
    decided_by: Id
