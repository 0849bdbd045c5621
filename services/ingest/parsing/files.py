"""Bytes to text: plain UTF-8 text, PDF (pypdf) and DOCX (python-docx); scans by OCR (:mod:`scans`).

Works on bytes in memory only (no file-system access).  The type is taken from the
content type, then the file name, then the leading bytes.  Anything else, or a
file that cannot be read, raises a typed :class:`ParseError`; a document larger than a
letter may be (:mod:`caps`) raises :class:`DocumentOverCap` before the costly part. A PDF without
a text layer, and a PNG, JPEG or TIFF picture, are read by OCR (:mod:`scans`); what OCR read keeps
its words' confidences (:class:`Extraction`). OCR writes each page image to a temporary file for
Tesseract; nothing else touches the file system.
The service runs this in a bounded worker process (``services/ingest/extraction.py``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from services.ingest.parsing.caps import LETTER, Caps, TextBudget, check
from services.ingest.parsing.encodings import decode
from services.ingest.parsing.errors import (
    CorruptFileError,
    DocumentOverCap,
    EmptyDocumentError,
    ParseError,
    UnsupportedFormatError,
)
from services.ingest.parsing.ocr import ScanText
from services.ingest.parsing.scans import is_scan, picture_kind, read_pdf_scan, read_picture

PDF_TYPES = {"application/pdf", "application/x-pdf"}
DOCX_TYPES = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
TEXT_TYPES = {"text/plain"}
MAX_BYTES = 50 * 1024 * 1024
XML_PART_SUFFIXES = (".xml", ".rels")


@dataclass(frozen=True)
class Extraction:
    """A document's text; ``scan`` holds the OCR'd words when it was read from page images, and
    ``encoding`` the encoding a plain-text file was read in (``utf-8``, ``tcvn3``, ...)."""

    text: str
    scan: ScanText | None = None
    encoding: str | None = None


def extract_text(data: bytes, filename: str | None, content_type: str | None,
                 caps: Caps = LETTER) -> str:
    """The text of a document given as bytes, with its file name and content type."""
    return extract(data, filename, content_type, caps).text


def extract(data: bytes, filename: str | None, content_type: str | None,
            caps: Caps = LETTER) -> Extraction:
    """The text of a document given as bytes, and its OCR'd words if it is a scan."""
    if not isinstance(data, bytes | bytearray):
        raise ParseError(f"expected bytes, got {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is {len(data)} bytes, limit {MAX_BYTES}")
    kind = detect_kind(bytes(data), filename, content_type)
    if kind == "pdf":
        return _pdf_text(bytes(data), caps)
    if kind == "image":
        return _scanned(read_picture(bytes(data), caps), caps)
    if kind == "docx":
        return Extraction(_docx_text(bytes(data), caps))
    decoded = decode(bytes(data))
    return Extraction(TextBudget(caps).take(decoded.text), encoding=decoded.encoding)


def detect_kind(data: bytes, filename: str | None, content_type: str | None) -> str:
    """``"text"``, ``"pdf"``, ``"docx"`` or ``"image"``; raises :class:`UnsupportedFormatError`."""
    mime = (content_type or "").split(";")[0].strip().lower()
    name = (filename or "").lower()
    if picture_kind(data, filename, content_type):
        return "image"
    if mime in PDF_TYPES or name.endswith(".pdf"):
        return "pdf"
    if mime in DOCX_TYPES or name.endswith(".docx"):
        return "docx"
    if mime in TEXT_TYPES or name.endswith(".txt"):
        return "text"
    extension = name.rpartition(".")[2] if "." in name else ""
    textual = mime.startswith("text/")
    if (mime and not textual and mime != "application/octet-stream") or (
        extension and not textual and extension != "text"
    ):
        raise UnsupportedFormatError(
            f"unsupported document type {content_type or filename!r}: expected plain text, PDF, "
            "DOCX, or a PNG, JPEG or TIFF scan"
        )
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"


def decode_text(data: bytes) -> str:
    """Plain text in UTF-8 or UTF-16 (with or without a byte-order mark), Windows-1258, TCVN3
    (ABC) or VNI-Windows, as NFC text (:mod:`encodings`); any other encoding is refused with
    :class:`UnsupportedEncodingError`."""
    return decode(data).text


def _pdf_text(data: bytes, caps: Caps) -> Extraction:
    from pypdf import PdfReader

    from services.ingest.parsing.pdf_ops import count_operators

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CorruptFileError("PDF is encrypted")
        check("pdf_pages", caps.pdf_pages, len(reader.pages), "trang")
        operators = count_operators(reader, caps.pdf_operators)
        if operators > caps.pdf_operators:
            raise DocumentOverCap("pdf_operators", caps.pdf_operators, "toán tử nội dung PDF")
        budget = TextBudget(caps)
        pages = [budget.take(page.extract_text() or "") for page in reader.pages]
    except (ParseError, MemoryError):
        raise
    except Exception as exc:  # pypdf raises many unrelated types on damaged files
        raise CorruptFileError(f"could not read PDF: {exc}") from exc
    if is_scan(pages):
        return _scanned(read_pdf_scan(data, caps), caps)
    return Extraction("\n\n".join(pages))


def _scanned(scan: ScanText, caps: Caps) -> Extraction:
    TextBudget(caps).take(scan.text)
    return Extraction(scan.text, scan)


def _docx_text(data: bytes, caps: Caps) -> str:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_docx_sizes(archive, caps)
        document = docx.Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append("   ".join(cell.text for cell in row.cells))
    except (ParseError, MemoryError):
        raise
    except Exception as exc:  # zipfile/lxml/python-docx errors on damaged files
        raise CorruptFileError(f"could not read DOCX: {exc}") from exc
    text = TextBudget(caps).take("\n".join(lines))
    if not text.strip():
        raise EmptyDocumentError("DOCX has no text")
    return text


def _check_docx_sizes(archive: zipfile.ZipFile, caps: Caps) -> None:
    """Unpacked sizes as the archive declares them; a part that lies about its size fails its
    CRC check when read, and the worker's memory limit bounds that read."""
    infos = archive.infolist()
    check("docx_unpacked_bytes", caps.docx_unpacked_bytes, sum(i.file_size for i in infos),
          "byte sau khi giải nén")
    for info in infos:
        if info.filename.lower().endswith(XML_PART_SUFFIXES):
            check("docx_part_bytes", caps.docx_part_bytes, info.file_size,
                  f"byte cho một phần XML ({info.filename})")
