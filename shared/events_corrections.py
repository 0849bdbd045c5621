"""The event of a parsed field reviewed by the Office (issue 18: confidence and review).

Fields the parser read carry a confidence (:class:`~shared.reading_parts.FieldOrigin`); on the
leadership dashboard the Office confirms a field (xác nhận) or corrects it (sửa). Either is
published as :class:`DispatchCorrected`: the tracker records it (who, when, before and after) and
shows the corrected value; when the field is one routing depends on (:data:`ROUTING_FIELDS`) and its
value changed, the event carries the dispatch as received with the correction applied, and the
router decides again on it, re-routing the dispatch when the decision differs.

Kept apart from :mod:`shared.events` (at its size limit); same rules: past tense,
:class:`~shared.events.EventMeta` on it, keyed by ``dispatch_id``, additive changes only within
``v1``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.event_parts import LIST_MAX, Id, Name, Subject
from shared.events import DispatchReceived, EventMeta, MeetingInfo, StatedDeadline

CorrectableField = Literal[
    "issuer", "parent_issuer", "number", "notation", "doc_type", "place", "issued_on", "subject",
    "recipients", "distribution", "deadlines", "meeting", "signer_title", "signer_name"]
"""The fields of ``DispatchReceived`` the parser may read, and so the Office may review."""

ROUTING_FIELDS: frozenset[str] = frozenset({
    "issuer", "parent_issuer", "doc_type", "notation", "subject", "recipients", "deadlines",
    "meeting"})
"""Fields the routing rules or deadlines read: correcting one makes the router decide again."""

FieldValue = Name | Subject | list[Name] | list[StatedDeadline] | MeetingInfo | None
"""A field's value as ``DispatchReceived`` carries it (a date as ISO text: '2025-03-05')."""


class DispatchCorrected(EventMeta):
    """The Office confirmed or corrected one field the parser had read."""

    event_type: Literal["dispatch.corrected"] = "dispatch.corrected"
    dispatch_id: Id
    field: CorrectableField = Field(description="The field reviewed, named as on DispatchReceived.")
    review: Literal["confirmed", "corrected"] = Field(
        description="confirmed: the value read is right; corrected: ``after`` replaces it.")
    before: FieldValue = Field(default=None, description="The value before the review.")
    after: FieldValue = Field(default=None, description="The value after it (= before if confirmed).")
    confidence: float | None = Field(
        default=None, ge=0, le=1, description="The confidence the reading had (None: not known).")
    corrected_by: Name = Field(description="Who reviewed it, e.g. 'Văn phòng Sở: Nguyễn Thị Hoa'.")
    units: list[Id] = Field(default_factory=list, max_length=LIST_MAX,
                            description="The units holding the dispatch when it was reviewed.")
    corrected: DispatchReceived | None = Field(
        default=None, description="The dispatch as received with the correction applied (its own "
                                  "event_id and received time), when a field routing depends on "
                                  "changed: the router decides again on it. None otherwise.")
    reason: Subject | None = Field(default=None, description="A note by the reviewer, if any.")

    @property
    def reroutes(self) -> bool:
        """True when the router must decide again: a routing field's value changed."""
        return (self.review == "corrected" and self.field in ROUTING_FIELDS
                and self.corrected is not None and self.before != self.after)
