"""edXML status messages back to the sending agency (03 đã tiếp nhận … 06 hoàn thành).

The tracker announces every move on the status ladder; ingest, which owns the edXML format and knows
each document's origin, renders the QCVN 102:2016 status message and keeps it in an outbox for the
upstream system to collect (GET /dispatches/{id}/edxml-status).
"""

from __future__ import annotations

from datetime import UTC

from services.ingest.parsing.edxml_parts import Organization, ResponseFor
from services.ingest.parsing.edxml_status import (
    StatusCode,
    StatusMessage,
    export_status,
    issuing_organ,
)
from services.ingest.repository import IngestRepository
from shared.clock import VIETNAM_TZ
from shared.events import AssignmentStatusChanged
from shared.logging import get_logger

log = get_logger(__name__)


def status_message(change: AssignmentStatusChanged, origin: dict[str, object],
                   agency: str) -> StatusMessage:
    """The edXML status message for one change of one unit's assignment; ``ResponseFor/OrganId``
    is the issuing organ its DocumentId names, when it has one in the edXML shape. Pure."""
    number, notation = origin.get("number"), origin.get("notation")
    code = "/".join(str(p) for p in (number, notation) if p) or None
    stated_id = origin.get("document_id")
    document_id = stated_id if isinstance(stated_id, str) else None
    organ = issuing_organ(document_id)
    return StatusMessage(
        response_for=ResponseFor(code=code, document_id=document_id, organ_id=organ,
                                 promulgation_date=origin.get("issued_on")),
        sender=Organization(organ_name=agency), status=StatusCode(change.edxml_code),
        timestamp=change.occurred_at.astimezone(VIETNAM_TZ).replace(tzinfo=None),
        department=change.unit_code, description=change.note)


class StatusOutbox:
    """Consumes status changes and stores their edXML rendering for the sender to collect."""

    def __init__(self, repo: IngestRepository, agency: str) -> None:
        self.repo, self.agency = repo, agency

    async def on_changes(self, changes: list[AssignmentStatusChanged]) -> None:
        """Render and keep one edXML status message per change (once per event id)."""
        for change in changes:
            origin = await self.repo.origin(change.dispatch_id)
            if origin is None:  # not received through this ingest: nobody to tell
                continue
            xml = export_status(status_message(change, origin, self.agency))
            await self.repo.store_status(change.event_id, change.dispatch_id,
                                         str(origin.get("source_system")), xml,
                                         change.occurred_at.astimezone(UTC))
            log.info("edxml status ready", dispatch_id=change.dispatch_id,
                     event_id=change.event_id, code=change.edxml_code)
