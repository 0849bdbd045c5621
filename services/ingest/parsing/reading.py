"""One uploaded file to what ingest needs from it: its text and the fields read from it. Pure.

This is the whole job of the extraction worker (``services/ingest/extraction.py``): edXML is read
from its MessageHeader, anything else is turned into text (under the letter caps) and parsed. The
result is plain data, so it crosses the process boundary as a pickle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.ingest.parsing.caps import LETTER, Caps
from services.ingest.parsing.edxml import read_edxml
from services.ingest.parsing.errors import ParseError
from services.ingest.parsing.files import extract_text
from services.ingest.parsing.model import ParsedDocument
from services.ingest.parsing.parser import parse_text

EDXML_SUFFIXES = (".xml", ".edxml")


@dataclass(frozen=True)
class Reading:
    """What one file gave: text (None for edXML), parsed fields as a dump, edXML DocumentId."""

    text: str | None
    parsed: dict[str, Any] | None
    document_id: str | None = None

    def parsed_document(self) -> ParsedDocument | None:
        """The parsed fields as a :class:`ParsedDocument` (with its source text for sentences)."""
        if self.parsed is None:
            return None
        return ParsedDocument.model_validate({**self.parsed, "source_text": self.text or ""})


def is_edxml(data: bytes, filename: str | None) -> bool:
    """An edXML package, by its name or its XML declaration."""
    return (filename or "").lower().endswith(EDXML_SUFFIXES) or data.lstrip()[:5] == b"<?xml"


def read_document(data: bytes, filename: str | None, content_type: str | None,
                  caps: Caps = LETTER) -> Reading:
    """Read one uploaded file; raises :class:`ParseError` (or a subclass) if it cannot be read."""
    if is_edxml(data, filename):
        header = read_edxml(data)
        return Reading(None, header.to_parsed_document().model_dump(), header.document_id)
    text = extract_text(data, filename, content_type, caps)
    return Reading(text, parse_dump(text))


def parse_dump(text: str | None) -> dict[str, Any] | None:
    """The parser's fields of ``text`` as a dump, or None for no text or unreadable text."""
    if not text or not text.strip():
        return None
    try:
        return parse_text(text).model_dump()
    except ParseError:
        return None
