"""edXML status messages (thông điệp trạng thái): tell the issuer how its document fares."""

from __future__ import annotations

import datetime as dt
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


class StatusMessage(BaseModel):
    """A status report sent back to the issuing body about its document."""

    response_for: ResponseFor
    sender: Organization
    status: StatusCode
    timestamp: dt.datetime
    description: str | None = None
    department: str | None = None
    staff: str | None = None


def export_status(message: StatusMessage) -> bytes:
    """The edXML status message (UTF-8 XML bytes) for ``message``."""
    envelope = ET.Element(qname("edXMLEnvelope"))
    status = ET.SubElement(ET.SubElement(envelope, qname("edXMLHeader")), qname("Status"))
    response = ET.SubElement(status, qname("ResponseFor"))
    rf = message.response_for
    add_child(response, "OrganId", rf.organ_id)
    add_child(response, "Code", rf.code)
    add_child(response, "PromulgationDate", to_edxml_date(rf.promulgation_date))
    add_child(response, "DocumentId", rf.document_id)
    sender = ET.SubElement(status, qname("From"))
    add_child(sender, "OrganId", message.sender.organ_id)
    add_child(sender, "OrganName", message.sender.organ_name)
    add_child(sender, "OrganizationInCharge", message.sender.organization_in_charge)
    add_child(status, "StatusCode", message.status.value)
    add_child(status, "Description", message.description or DESCRIPTIONS[message.status])
    add_child(status, "Timestamp", message.timestamp.strftime("%Y/%m/%d %H:%M:%S"))
    staff = ET.SubElement(status, qname("StaffInfo"))
    add_child(staff, "Department", message.department)
    add_child(staff, "Staff", message.staff)
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
