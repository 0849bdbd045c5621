"""Events of blockers (phản ánh vướng mắc) and leadership's directions (ý kiến chỉ đạo), issue 16.

A unit reports a blocker on its assignment; the Office and the deputy in charge of the unit are told
at once (the notifier). Leadership answers with a direction, which reaches the unit. Both are
self-contained, so the notifier writes its message without asking anyone. Kept apart from
:mod:`shared.events` (which is near its size limit); same rules: additive changes only within a major
version.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.event_parts import AwareDatetime, Id, Name, Note, Subject
from shared.events import EventMeta


class BlockerReported(EventMeta):
    """A unit reported a blocker (khó khăn, vướng mắc) on its assignment and waits for a direction."""

    event_type: Literal["blocker.reported"] = "blocker.reported"
    blocker_id: Id
    dispatch_id: Id
    unit_code: Id
    note: Note = Field(description="What blocks the unit, in its own words.")
    reported_by: Id = Field(description="The login of the person, or the unit token's name.")
    reported_by_name: Name | None = Field(default=None, description="The person's name, if known.")
    subject: Subject | None = Field(default=None, description="Trích yếu of the dispatch.")
    number: Id | None = None
    notation: Id | None = None
    due_at: AwareDatetime | None = Field(default=None, description="The assignment's deadline.")


class BlockerDirected(EventMeta):
    """Leadership gave its direction (ý kiến chỉ đạo) on a blocker; the blocker is closed."""

    event_type: Literal["blocker.directed"] = "blocker.directed"
    blocker_id: Id
    dispatch_id: Id
    unit_code: Id
    direction: Note = Field(description="Ý kiến chỉ đạo.")
    directed_by: Id = Field(description="Who gave it (leadership token's name or login).")
    reported_at: AwareDatetime = Field(description="When the blocker was reported.")
    waited_s: float = Field(ge=0, description="Seconds from the report to the direction.")
    waited_words: Name = Field(description="The wait in words, e.g. '2 ngày làm việc'.")
    note: Note | None = Field(default=None, description="The blocker as reported.")
    subject: Subject | None = None
