"""Bytes to text: plain UTF-8 text, PDF (pypdf) and DOCX (python-docx).

Works on bytes in memory only (no file-system access).  The type is taken from the
content type, then the file name, then the leading bytes.  Anything else, or a
file that cannot be read, raises a typed :class:`ParseError`; a document larger than a
letter may be (:mod:`caps`) raises :class:`DocumentOverCap` before the costly part.
The service runs this in a bounded worker process (``services/ingest/extraction.py``).
"""

from __future__ import annotations

import io
import zipfile

from services.ingest.parsing.caps import LETTER, Caps, TextBudget, check
from services.ingest.parsing.errors import (
    CorruptFileError,
    DocumentOverCap,
    EmptyDocumentError,
    ParseError,
    UnsupportedEncodingError,
    UnsupportedFormatError,
)

PDF_TYPES = {"application/pdf", "application/x-pdf"}
DOCX_TYPES = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
TEXT_TYPES = {"text/plain"}
MAX_BYTES = 50 * 1024 * 1024
XML_PART_SUFFIXES = (".xml", ".rels")


def extract_text(data: bytes, filename: str | None, content_type: str | None,
                 caps: Caps = LETTER) -> str:
    """The text of a document given as bytes, with its file name and content type."""
    if not isinstance(data, bytes | bytearray):
        raise ParseError(f"expected bytes, got {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise ParseError(f"file is {len(data)} bytes, limit {MAX_BYTES}")
    kind = detect_kind(bytes(data), filename, content_type)
    if kind == "pdf":
        return _pdf_text(bytes(data), caps)
    if kind == "docx":
        return _docx_text(bytes(data), caps)
    return TextBudget(caps).take(decode_text(bytes(data)))


def detect_kind(data: bytes, filename: str | None, content_type: str | None) -> str:
    """``"text"``, ``"pdf"`` or ``"docx"``; raises :class:`UnsupportedFormatError`."""
    mime = (content_type or "").split(";")[0].strip().lower()
    name = (filename or "").lower()
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
            f"unsupported document type {content_type or filename!r}: expected plain text, PDF or DOCX"
        )
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"


def decode_text(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); other encodings are refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedEncodingError(
            f"text is not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from exc


def _pdf_text(data: bytes, caps: Caps) -> str:
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
    text = "\n\n".join(pages)
    if not text.strip():
        raise EmptyDocumentError("PDF has no text layer (scanned image?)")
    return text


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
