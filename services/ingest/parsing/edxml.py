"""edXML, QCVN 102:2016/BTTTT: import a package's MessageHeader, export status messages.

``read_edxml`` turns the MessageHeader (From, To, Code, PromulgationInfo,
DocumentType, Subject, SignerInfo, DueDate, ToPlaces, ResponseFor, DocumentId)
into :class:`EdxmlHeader`, convertible to the parser's :class:`ParsedDocument`.
Status messages live in :mod:`edxml_status` and are re-exported here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pydantic import BaseModel, Field

from services.ingest.parsing.edxml_parts import (
    NS,
    Organization,
    ResponseFor,
    child,
    child_text,
    clean,
    descendants,
    from_edxml_date,
    parse_xml,
    qname,
    read_organization,
    read_response_for,
)
from services.ingest.parsing.edxml_status import (
    DESCRIPTIONS,
    StatusCode,
    StatusMessage,
    export_status,
    read_status,
)
from services.ingest.parsing.errors import EdxmlError
from services.ingest.parsing.header import clean_notation
from services.ingest.parsing.model import (
    LABEL_KEYS,
    Deadline,
    DocumentRef,
    Extracted,
    ParsedDocument,
)
from shared.reading_parts import FieldOrigin

_SUBJECT_MARK = re.compile(r"^\s*(?:V/v|V/V|Về\s*việc)\s*:?\s*")
ENVELOPE = FieldOrigin(origin="envelope")

__all__ = [
    "DESCRIPTIONS",
    "NS",
    "EdxmlHeader",
    "Organization",
    "ResponseFor",
    "StatusCode",
    "StatusMessage",
    "export_status",
    "read_edxml",
    "read_header",
    "read_status",
]


class EdxmlHeader(BaseModel):
    """The MessageHeader of an edXML package (thông tin văn bản điện tử)."""

    sender: Organization = Field(default_factory=Organization)
    receivers: list[Organization] = Field(default_factory=list)
    code_number: str | None = None
    code_notation: str | None = None
    place: str | None = None
    promulgation_date: str | None = None
    document_type: str | None = None
    subject: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    due_date: str | None = None
    to_places: list[str] = Field(default_factory=list)
    response_for: list[ResponseFor] = Field(default_factory=list)
    document_id: str | None = None

    def to_parsed_document(self) -> ParsedDocument:
        """The same fields as the text parser gives (without spans), each of origin envelope."""
        parent = self.sender.organization_in_charge
        refs = [_reference(r) for r in self.response_for]
        due = [Deadline(date=self.due_date, what="hạn xử lý (DueDate)")] if self.due_date else []
        document = ParsedDocument(
            issuer=_ex(self.sender.organ_name),
            parent_issuer=_ex(parent if parent != self.sender.organ_name else None),
            number=_ex(self.code_number),
            notation=_ex(clean_notation(self.code_notation) if self.code_notation else None),
            doc_type=_ex(self.document_type),
            place=_ex(self.place),
            issued_on=_ex(self.promulgation_date),
            subject=_ex(_SUBJECT_MARK.sub("", self.subject or "")),
            recipients=[Extracted(value=o.organ_name) for o in self.receivers if o.organ_name],
            deadlines=[Extracted(value=d) for d in due],
            referenced_documents=[Extracted(value=r) for r in refs if r is not None],
            signer_title=_ex(self.signer_position),
            signer_name=_ex(self.signer_name),
            distribution=[Extracted(value=place) for place in self.to_places],
        )
        stated = [name for name in LABEL_KEYS if getattr(document, name)]
        return document.model_copy(update={"origins": dict.fromkeys(stated, ENVELOPE)})


def read_edxml(data: bytes) -> EdxmlHeader:
    """The MessageHeader of an edXML package given as bytes."""
    return read_header(parse_xml(data))


def read_header(root: ET.Element) -> EdxmlHeader:
    """The MessageHeader of the package whose (safely parsed) root element is ``root``."""
    header = next(descendants(root, "MessageHeader"), None)
    if header is None:
        raise EdxmlError(f"no {{{NS}}}MessageHeader element in the package")
    code = child(header, "Code")
    promulgation = child(header, "PromulgationInfo")
    signer = child(header, "SignerInfo")
    return EdxmlHeader(
        sender=read_organization(child(header, "From")),
        receivers=[read_organization(e) for e in header.findall(qname("To"))],
        code_number=child_text(code, "CodeNumber"),
        code_notation=child_text(code, "CodeNotation"),
        place=child_text(promulgation, "Place"),
        promulgation_date=from_edxml_date(child_text(promulgation, "PromulgationDate")),
        document_type=child_text(child(header, "DocumentType"), "TypeName"),
        subject=child_text(header, "Subject"),
        signer_position=child_text(signer, "Position"),
        signer_name=child_text(signer, "FullName"),
        due_date=from_edxml_date(child_text(header, "DueDate")),
        to_places=[clean(e.text) for e in descendants(child(header, "ToPlaces"), "Place") if e.text],
        response_for=[read_response_for(e) for e in header.findall(qname("ResponseFor"))],
        document_id=child_text(header, "DocumentId"),
    )


def _reference(response: ResponseFor) -> DocumentRef | None:
    if not response.code:
        return None
    number, _, notation = response.code.partition("/")
    if not notation:
        number, notation = "", number
    return DocumentRef(
        number=number.strip() or None,
        notation=clean_notation(notation),
        date=response.promulgation_date,
    )


def _ex(value: str | None) -> Extracted[str] | None:
    return Extracted(value=value) if value else None
