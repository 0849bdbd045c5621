"""An edXML package read whole: its envelope, its exchange details, its signature and its files.

In real exchange the envelope is thin and the letter is the attachment, so both are read: the
envelope's fields win; the attached letter (read by :func:`reading.read_parsed`, with OCR for a scan
and its own PDF signature) fills the gaps: the meeting, the documents it cites and the deadlines it
states besides ``DueDate``, and any header field the envelope leaves out. Every field records its
origin: ``envelope``, or ``text``/``ocr`` with the attached file's name. Pure but for the signature
check (:mod:`edxml_signature`), which reads the trust store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.ingest.parsing.digital_signature import TrustStore
from services.ingest.parsing.edxml import read_header
from services.ingest.parsing.edxml_attachments import PackageFile, read_attachments
from services.ingest.parsing.edxml_exchange import read_exchange
from services.ingest.parsing.edxml_parts import parse_xml
from services.ingest.parsing.edxml_signature import verify_envelope
from services.ingest.parsing.model import LABEL_KEYS, Extracted, ParsedDocument
from shared.events_exchange import ExchangeDetails
from shared.reading_parts import DocumentSignature, SignatureStatus

MERGED_LISTS = ("deadlines", "referenced_documents")
"""Lists the letter adds to (the envelope's items first): other fields are the envelope's or none."""


@dataclass(frozen=True)
class Package:
    """What the package states before its letter is read."""

    envelope: ParsedDocument
    document_id: str | None
    exchange: ExchangeDetails
    files: list[PackageFile]


def open_package(data: bytes, trust: TrustStore | str | Path | None) -> Package:
    """The package ``data``: its MessageHeader, exchange details (with the envelope's signature
    verified) and decoded attachments, the main letter first. Raises :class:`EdxmlError`."""
    root = parse_xml(data)
    header = read_header(root)
    exchange = read_exchange(root).model_copy(
        update={"envelope_signature": verify_envelope(data, root, trust)})
    return Package(header.to_parsed_document(), header.document_id, exchange,
                   read_attachments(root))


def merge_letter(envelope: ParsedDocument, letter: ParsedDocument | None,
                 attachment: str | None) -> ParsedDocument:
    """The envelope's fields, completed by the letter ``attachment``'s where the envelope has none
    (and, for deadlines and cited documents, by the letter's other items)."""
    if letter is None:
        return envelope
    update: dict[str, Any] = {"source_text": letter.source_text}
    origins = dict(envelope.origins)
    for name in LABEL_KEYS:
        mine, theirs = getattr(envelope, name), getattr(letter, name)
        if name in MERGED_LISTS and mine:
            update[name] = [*mine, *(i for i in theirs if _key(i) not in {_key(m) for m in mine})]
        elif not mine and theirs:
            update[name] = theirs
            if name in letter.origins:
                origins[name] = letter.origins[name].model_copy(update={"attachment": attachment})
    update["origins"] = origins
    return envelope.model_copy(update=update)


def decisive_signature(envelope: DocumentSignature | None,
                       letter: DocumentSignature | None) -> DocumentSignature | None:
    """The signature the dispatch is judged by: a broken envelope's; else the letter's own, when it
    is a signed PDF; else the envelope's."""
    if envelope is not None and envelope.status is SignatureStatus.INVALID:
        return envelope
    if letter is not None and letter.status is not SignatureStatus.UNSIGNED:
        return letter
    return envelope


def _key(item: Extracted[Any]) -> tuple[Any, ...]:
    value = item.value
    if hasattr(value, "notation"):
        return ("ref", (value.number or "").strip(), "".join(value.notation.split()).upper())
    if hasattr(value, "date") and hasattr(value, "what"):
        return ("deadline", value.date)
    return ("value", repr(value))
