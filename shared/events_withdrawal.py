"""The event of a dispatch withdrawn by a later edXML package (issue 19).

A package whose ``Bussiness`` says it revokes (thu hồi), replaces (thay thế) or updates (cập nhật) an
earlier document names that document by its DocumentId (:attr:`ExchangeDetails.acted_on
<shared.events_exchange.ExchangeDetails.acted_on>`). The router finds the earlier dispatch(es) by
``document_id`` and announces each one withdrawn: the tracker cancels its open assignments and links
the two dispatches on their timelines; the notifier tells the units that held it. A replacing or
updating package is routed as a dispatch of its own as well; a revoking one is not.

Kept apart from :mod:`shared.events` (at its size limit); same rules: past tense,
:class:`~shared.events.EventMeta` on it, keyed by the withdrawn ``dispatch_id``, additive changes
only within ``v1``. Self-contained: the notifier writes its notice from the event alone.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.event_parts import LIST_MAX, Explanation, Id, Subject
from shared.events import EventMeta
from shared.events_exchange import BusinessKind


class DispatchWithdrawn(EventMeta):
    """A later package revoked, replaced or updated this dispatch's document: its handling stops."""

    event_type: Literal["dispatch.withdrawn"] = "dispatch.withdrawn"
    dispatch_id: Id = Field(description="The withdrawn (earlier) dispatch.")
    document_id: Id = Field(description="Its edXML DocumentId, as the later package named it.")
    business: BusinessKind = Field(description="revoke (thu hồi), replace (thay thế) or update "
                                               "(cập nhật).")
    by_dispatch_id: Id = Field(description="The dispatch of the package that withdrew it.")
    by_subject: Subject | None = Field(default=None, description="That package's trích yếu.")
    reason: Explanation | None = Field(
        default=None, description="Why, as the sender wrote it (BussinessDocReason).")
    subject: Subject | None = Field(default=None, description="The withdrawn dispatch's trích yếu.")
    number: Id | None = Field(default=None, description="Its số.")
    notation: Id | None = Field(default=None, description="Its ký hiệu.")
    units: list[Id] = Field(default_factory=list, max_length=LIST_MAX,
                            description="The units that held it (to be told), in routing order.")

    @property
    def replaced(self) -> bool:
        """True when a newer document takes its place (replace or update), False for a revoke."""
        return self.business is not BusinessKind.REVOKE
