"""edXML status messages (thông điệp trạng thái): tell the issuer how its document fares.

:func:`export_status` always writes well-formed XML: every value is cleaned first (one line, or LF
and tab only for the description), so a control character in a unit's note cannot reach the XML.
Its shape is the one peers build (ADR 0016; checked by ``tests/unit/ingest/edxml_status.xsd``).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from enum import StrEnum

from pydantic import BaseModel

from services.ingest.parsing.edxml_parts import (
    Organization,
    ResponseFor,
    add_child,
    child,
    child_text,
    descendants,
    parse_xml,
    qname,
    read_organization,
    read_response_for,
    to_edxml_date,
)
from services.ingest.parsing.errors import EdxmlError
from shared.safe_text import clean_block, clean_line


class StatusCode(StrEnum):
    """Trạng thái xử lý văn bản (edXML StatusCode)."""

    RECEIVED = "01"  # đã đến
    REJECTED = "02"  # từ chối tiếp nhận
    ACCEPTED = "03"  # đã tiếp nhận
    ASSIGNED = "04"  # phân công
    IN_PROGRESS = "05"  # đang xử lý
    COMPLETED = "06"  # hoàn thành


DESCRIPTIONS = {
    StatusCode.RECEIVED: "Đã đến",
    StatusCode.REJECTED: "Từ chối tiếp nhận",
    StatusCode.ACCEPTED: "Đã tiếp nhận",
    StatusCode.ASSIGNED: "Phân công",
    StatusCode.IN_PROGRESS: "Đang xử lý",
    StatusCode.COMPLETED: "Hoàn thành",
}


DOCUMENT_ID = re.compile(r"(?P<organ>[0-9A-Z]+(?:\.[0-9A-Z]+)+),\d{4}/\d{2}/\d{2},[^,]+")
"""An edXML DocumentId, ``{organ id},{YYYY/MM/DD},{number}/{notation}`` (the organ that issued it)."""


def issuing_organ(document_id: str | None) -> str | None:
    """The issuing organ's id (mã định danh, ``000.00.12.H19``) a DocumentId starts with; None for
    no DocumentId or one in another shape (a JSON submission's own id)."""
    found = DOCUMENT_ID.fullmatch(document_id.strip()) if document_id else None
    return found["organ"] if found else None


class StatusMessage(BaseModel):
    """A status report sent back to the issuing body about its document."""

    response_for: ResponseFor
    sender: Organization
    status: StatusCode
    timestamp: dt.datetime
    description: str | None = None
    department: str | None = None
    staff: str | None = None


def _put(parent: ET.Element, name: str, value: str | None) -> None:
    add_child(parent, name, clean_line(value).strip() if value else None)


def export_status(message: StatusMessage) -> bytes:
    """The edXML status message (UTF-8 XML bytes) for ``message``; well-formed for any text."""
    envelope = ET.Element(qname("edXMLEnvelope"))
    status = ET.SubElement(ET.SubElement(envelope, qname("edXMLHeader")), qname("Status"))
    response = ET.SubElement(status, qname("ResponseFor"))
    rf = message.response_for
    _put(response, "OrganId", rf.organ_id)
    _put(response, "Code", rf.code)
    _put(response, "PromulgationDate", to_edxml_date(rf.promulgation_date))
    _put(response, "DocumentId", rf.document_id)
    sender = ET.SubElement(status, qname("From"))
    _put(sender, "OrganId", message.sender.organ_id)  # in the peers' order (ADR 0016)
    _put(sender, "OrganizationInCharge", message.sender.organization_in_charge)
    _put(sender, "OrganName", message.sender.organ_name)
    _put(status, "StatusCode", message.status.value)
    add_child(status, "Description",
              clean_block(message.description or "").strip() or DESCRIPTIONS[message.status])
    _put(status, "Timestamp", message.timestamp.strftime("%Y/%m/%d %H:%M:%S"))
    staff = ET.SubElement(status, qname("StaffInfo"))
    _put(staff, "Department", message.department)
    _put(staff, "Staff", message.staff)
    ET.SubElement(envelope, qname("edXMLBody"))
    return bytes(ET.tostring(envelope, encoding="utf-8", xml_declaration=True))


def read_status(data: bytes) -> StatusMessage:
    """Parse a status message produced by :func:`export_status` (or a partner)."""
    status = next(descendants(parse_xml(data), "Status"), None)
    if status is None:
        raise EdxmlError("no Status element in the message")
    code = child_text(status, "StatusCode")
    try:
        stamp = dt.datetime.strptime(child_text(status, "Timestamp") or "", "%Y/%m/%d %H:%M:%S")
        status_code = StatusCode(code or "")
    except ValueError as exc:
        raise EdxmlError(f"bad status message: {exc}") from exc
    staff = child(status, "StaffInfo")
    return StatusMessage(
        response_for=read_response_for(child(status, "ResponseFor")),
        sender=read_organization(child(status, "From")),
        status=status_code,
        timestamp=stamp,
        description=child_text(status, "Description"),
        department=child_text(staff, "Department"),
        staff=child_text(staff, "Staff"),
    )
