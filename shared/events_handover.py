"""The event of a hand-over inside a unit (phân công xử lý), issue 16.

A unit head hands the unit's assignment of a dispatch to one of its people, who then finds it under
"Việc của tôi" on the desk. The event is self-contained (names as well as logins), so a reader — the
leadership dashboard's timeline, a future notice to the person — needs no look-up. Kept apart from
:mod:`shared.events` (near its size limit); same rules: past tense, :class:`~shared.events.EventMeta`
on it, keyed by ``dispatch_id``, additive changes only within ``v1``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.event_parts import Id, Name, Note
from shared.events import EventMeta


class AssignmentHandedOver(EventMeta):
    """A unit head handed the unit's assignment to a named person of the unit (phân công xử lý)."""

    event_type: Literal["assignment.handed_over"] = "assignment.handed_over"
    dispatch_id: Id
    unit_code: Id
    assignment_id: Id = Field(description="The unit's assignment: '<dispatch_id>:<unit_code>'.")
    staff_login: Id = Field(description="The login of the person who now handles it.")
    staff_name: Name = Field(description="That person's name.")
    handed_by: Id = Field(description="The login of the unit head who handed it over.")
    handed_by_name: Name = Field(description="The unit head's name.")
    handed_by_title: Name | None = Field(
        default=None, description="The head's title (chức vụ) in the organisation, e.g. "
                                  "'Trưởng phòng', 'Chánh Văn phòng'.")
    previous_staff_login: Id | None = Field(
        default=None, description="Who handled it before this hand-over, if anyone.")
    previous_staff_name: Name | None = Field(default=None, description="That person's name.")
    note: Note | None = Field(default=None, description="What the head wrote with it, if anything.")
