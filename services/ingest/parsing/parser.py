"""``parse_text``: the whole document, from raw text to :class:`ParsedDocument`.

Pure: no I/O, no global state.  Any ``str`` gives a result or a typed
:class:`ParseError`; nothing else escapes.
"""

from __future__ import annotations

from services.ingest.parsing.addressees import read_distribution, read_recipients
from services.ingest.parsing.dates import likely_year
from services.ingest.parsing.deadlines import read_deadlines
from services.ingest.parsing.doc_type import read_doc_type
from services.ingest.parsing.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    InternalParseError,
    ParseError,
)
from services.ingest.parsing.header import read_header
from services.ingest.parsing.lede import issuer_from_body, notice_from_body, read_lede
from services.ingest.parsing.meeting import read_meeting
from services.ingest.parsing.model import ParsedDocument
from services.ingest.parsing.references import read_references
from services.ingest.parsing.signature import read_signature
from services.ingest.parsing.text import WorkingText, prepare
from services.ingest.parsing.title import read_subject
from services.ingest.parsing.urgency_mark import read_urgency

#: Longest input accepted, in characters (a công văn is a few thousand).
MAX_CHARS = 500_000


def parse_text(text: str) -> ParsedDocument:
    """Extract the Decree 30 fields of an administrative document given as text.

    Raises :class:`ParseError` (and only that) when the text is empty, too large
    or not a string.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected the document as str, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise DocumentTooLargeError(f"document has {len(text)} characters, limit {MAX_CHARS}")
    if not text.strip():
        raise EmptyDocumentError("document has no text")
    try:
        return _parse(prepare(text))
    except (ParseError, MemoryError):  # MemoryError: the worker's memory limit, reported as such
        raise
    except Exception as exc:  # a parser bug must still surface as a typed error
        raise InternalParseError(f"parser failed on this document: {exc!r}") from exc


def _parse(wt: WorkingText) -> ParsedDocument:
    header = read_header(wt)
    headless = header.issuer is None and header.number_match is None
    number, notation, issued_on = header.number, header.notation, header.issued_on
    issuer = header.issuer
    subject = read_subject(wt, header, headless)
    if headless:
        lede = read_lede(wt)
        number, notation = lede.number, lede.notation
        issued_on = issued_on or lede.issued_on
        subject = lede.subject or subject  # the lede's own "số ... về việc ..." names it
    issuer = issuer or issuer_from_body(wt)
    meeting = read_meeting(wt)
    doc_type = read_doc_type(wt, header, notation, meeting, notice_from_body)
    own = (number.value if number else None, notation.value if notation else None)
    year = int(issued_on.value[:4]) if issued_on else likely_year(wt.text)
    signer_title, signer_name = read_signature(wt)
    return ParsedDocument(
        issuer=issuer,
        parent_issuer=header.parent_issuer,
        number=number,
        notation=notation,
        doc_type=doc_type,
        place=header.place,
        issued_on=issued_on,
        subject=subject,
        recipients=read_recipients(wt),
        deadlines=read_deadlines(wt, year),
        meeting=meeting,
        urgency=read_urgency(wt, header),
        referenced_documents=read_references(wt, own),
        signer_title=signer_title,
        signer_name=signer_name,
        distribution=read_distribution(wt),
        source_text=wt.source,
    )
