"""Shared parts of edXML (QCVN 102:2016/BTTTT) messages: safe parsing and common elements.

Parsing uses defusedxml with DTDs, entities and external references forbidden, so
a billion-laughs or XXE payload is refused with :class:`EdxmlError` like any
other malformed message.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import defusedxml
from defusedxml.ElementTree import fromstring
from pydantic import BaseModel

from services.ingest.parsing.dates import iso_date
from services.ingest.parsing.errors import EdxmlError

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
ET.register_namespace("edXML", NS)
MAX_BYTES = 20 * 1024 * 1024


class Organization(BaseModel):
    """A party (From/To): mã định danh, tên cơ quan, cơ quan chủ quản."""

    organ_id: str | None = None
    organ_name: str | None = None
    organization_in_charge: str | None = None


class ResponseFor(BaseModel):
    """The document a message answers: organ, "số/ký hiệu", date, DocumentId."""

    organ_id: str | None = None
    code: str | None = None
    promulgation_date: str | None = None
    document_id: str | None = None


def parse_xml(data: bytes) -> ET.Element:
    """Root element of an edXML message; refuses DTDs, entities and foreign roots."""
    if not isinstance(data, bytes | bytearray) or len(data) > MAX_BYTES:
        raise EdxmlError("edXML must be bytes of at most 20 MB")
    try:
        root: ET.Element = fromstring(
            bytes(data), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except (defusedxml.DefusedXmlException, ET.ParseError, ValueError) as exc:
        raise EdxmlError(f"malformed or unsafe edXML: {exc!r}") from exc
    if not root.tag.startswith(f"{{{NS}}}"):
        raise EdxmlError(f"root element {root.tag!r} is not in the namespace {NS}")
    return root


def qname(name: str) -> str:
    """``name`` in the edXML namespace."""
    return f"{{{NS}}}{name}"


def descendants(element: ET.Element | None, name: str) -> Iterator[ET.Element]:
    """All elements called ``name`` at any depth below ``element``."""
    return iter(()) if element is None else element.iter(qname(name))


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first direct child called ``name``."""
    return None if element is None else element.find(qname(name))


def child_text(element: ET.Element | None, name: str) -> str | None:
    """Whitespace-collapsed text of the child ``name``, None when absent or empty."""
    found = child(element, name)
    return clean(found.text) or None if found is not None else None


def clean(value: str | None) -> str:
    """``value`` with whitespace collapsed ("" for None)."""
    return " ".join((value or "").split())


def add_child(parent: ET.Element, name: str, value: str | None) -> None:
    """Append ``<edXML:name>value</edXML:name>`` to ``parent``."""
    ET.SubElement(parent, qname(name)).text = value or ""


def read_organization(element: ET.Element | None) -> Organization:
    """A From/To party."""
    return Organization(
        organ_id=child_text(element, "OrganId"),
        organ_name=child_text(element, "OrganName"),
        organization_in_charge=child_text(element, "OrganizationInCharge"),
    )


def read_response_for(element: ET.Element | None) -> ResponseFor:
    """A ResponseFor block."""
    return ResponseFor(
        organ_id=child_text(element, "OrganId"),
        code=child_text(element, "Code"),
        promulgation_date=from_edxml_date(child_text(element, "PromulgationDate")),
        document_id=child_text(element, "DocumentId"),
    )


def from_edxml_date(value: str | None) -> str | None:
    """ISO date of an edXML ``YYYY/MM/DD`` (``YYYY-MM-DD``, ``DD/MM/YYYY`` accepted)."""
    if not value:
        return None
    match = re.match(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", value)
    if match:
        return iso_date(int(match[3]), int(match[2]), int(match[1]))
    match = re.match(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", value)
    return iso_date(int(match[1]), int(match[2]), int(match[3])) if match else None


def to_edxml_date(iso: str | None) -> str | None:
    """edXML ``YYYY/MM/DD`` of an ISO date."""
    return iso.replace("-", "/") if iso else None
