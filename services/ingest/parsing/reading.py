"""One uploaded file to what ingest needs from it: its text and the fields read from it. Pure.

This is the whole job of the extraction worker (``services/ingest/extraction.py``): an edXML package
is read whole (:mod:`edxml_package`: its envelope, exchange details and signature, and its attached
files, the main letter read like an upload and filling the envelope's gaps), anything else is turned
into text (under the letter caps; a scan by OCR) and parsed. A PDF's digital signature is verified
against the trust store. The parsed fields carry the signature and each field's origin (envelope,
text layer or OCR, with its confidence). The result is plain data, so it crosses the process
boundary as a pickle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.ingest.parsing.caps import LETTER, Caps
from services.ingest.parsing.confidence import field_confidence
from services.ingest.parsing.digital_signature import TrustStore, verify_signature
from services.ingest.parsing.edxml_attachments import PackageFile, is_letter
from services.ingest.parsing.edxml_package import decisive_signature, merge_letter, open_package
from services.ingest.parsing.errors import DocumentOverCap, ParseError
from services.ingest.parsing.files import Extraction, detect_kind, extract
from services.ingest.parsing.model import LABEL_KEYS, Extracted, ParsedDocument
from services.ingest.parsing.ocr import confidence_of
from services.ingest.parsing.parser import parse_text
from shared.events_exchange import Urgency
from shared.reading_parts import FieldOrigin

EDXML_SUFFIXES = (".xml", ".edxml")


@dataclass(frozen=True)
class Reading:
    """What one file gave: text (an edXML package's: its main letter's, if any), parsed fields as a
    dump, and for edXML its DocumentId, attached files (main letter first), exchange details (an
    ``ExchangeDetails`` dump) and urgency."""

    text: str | None
    parsed: dict[str, Any] | None
    document_id: str | None = None
    files: tuple[PackageFile, ...] = ()
    exchange: dict[str, Any] | None = None
    urgency: str | None = None

    def parsed_document(self) -> ParsedDocument | None:
        """The parsed fields as a :class:`ParsedDocument` (with its source text for sentences)."""
        if self.parsed is None:
            return None
        return ParsedDocument.model_validate({**self.parsed, "source_text": self.text or ""})


def is_edxml(data: bytes, filename: str | None) -> bool:
    """An edXML package, by its name or its XML declaration."""
    return (filename or "").lower().endswith(EDXML_SUFFIXES) or data.lstrip()[:5] == b"<?xml"


def read_document(data: bytes, filename: str | None, content_type: str | None,
                  caps: Caps = LETTER, trust: TrustStore | str | None = None) -> Reading:
    """Read one uploaded file; raises :class:`ParseError` (or a subclass) if it cannot be read.
    ``trust`` is the trust store (or its folder) a PDF's signature is verified against."""
    if is_edxml(data, filename):
        return read_package(data, caps, trust)
    document = read_parsed(data, filename, content_type, caps, trust)
    return Reading(document.source_text, document.model_dump())


def read_package(data: bytes, caps: Caps = LETTER,
                 trust: TrustStore | str | None = None) -> Reading:
    """An edXML package: the envelope's fields completed by its main letter's, with origins."""
    package = open_package(data, trust)
    main = package.files[0] if package.files and is_letter(package.files[0]) else None
    letter = None
    if main is not None:
        try:
            letter = read_parsed(main.data, main.name, main.content_type, caps, trust)
        except DocumentOverCap:
            raise
        except ParseError:
            letter = None  # an unreadable letter: the envelope's fields still stand
    merged = merge_letter(package.envelope, letter, main.name if main else None)
    merged = merged.model_copy(update={"signature": decisive_signature(
        package.exchange.envelope_signature, letter.signature if letter else None)})
    urgency = Urgency.from_priority(package.exchange.priority)
    return Reading(letter.source_text if letter else None, merged.model_dump(),
                   package.document_id, tuple(package.files),
                   package.exchange.model_dump(mode="json"), urgency.value if urgency else None)


def read_parsed(data: bytes, filename: str | None, content_type: str | None,
                caps: Caps = LETTER, trust: TrustStore | str | None = None) -> ParsedDocument:
    """A text, PDF, DOCX or scanned file's fields, with its signature (a PDF) and field origins;
    no fields (only the text) when the text cannot be parsed."""
    extraction = extract(data, filename, content_type, caps)
    signature = verify_signature(data, trust) \
        if detect_kind(data, filename, content_type) == "pdf" else None
    try:
        document = parse_text(extraction.text)
    except ParseError:
        document = ParsedDocument()
    return document.model_copy(update={"source_text": extraction.text, "signature": signature,
                                       "origins": field_origins(document, extraction)})


def field_origins(document: ParsedDocument, extraction: Extraction) -> dict[str, FieldOrigin]:
    """Each field the parser read: from the text layer, or by OCR; its confidence is the parser's
    (:mod:`confidence`), times its words' OCR confidence for a scan."""
    parsed = field_confidence(document, extraction.text)
    origins: dict[str, FieldOrigin] = {}
    for name in LABEL_KEYS:
        value = getattr(document, name)
        items: list[Extracted[Any]] = value if isinstance(value, list) else [value] if value else []
        if not items:
            continue
        if extraction.scan is None:
            origins[name] = FieldOrigin(origin="text", confidence=parsed.get(name))
            continue
        scores = [confidence_of(extraction.scan.words, i.span.start, i.span.end)
                  for i in items if i.span is not None]
        known = [score for score in scores if score is not None]
        ocr = sum(known) / len(known) if known else None
        origins[name] = FieldOrigin(origin="ocr", confidence=None if ocr is None else round(
            ocr * parsed.get(name, 1.0), 3))
    return origins
