"""Typed errors raised by the document parser.

Every failure the parser, the file adapters and the edXML codec can report is a
:class:`ParseError`, so callers need to catch exactly one exception type.
"""

from __future__ import annotations


class ParseError(Exception):
    """The input cannot be turned into a parsed document (văn bản không đọc được)."""


class EmptyDocumentError(ParseError):
    """The input holds no text at all (e.g. a scanned PDF without a text layer)."""


class DocumentTooLargeError(ParseError):
    """The input is larger than the parser accepts."""


class UnsupportedEncodingError(ParseError):
    """Plain-text bytes are in no supported encoding (UTF-8, UTF-16, Windows-1258, TCVN3, VNI)."""


class UnsupportedFormatError(ParseError):
    """The bytes are neither plain text, PDF, DOCX nor edXML."""


class CorruptFileError(ParseError):
    """A PDF or DOCX container could not be read."""


class EdxmlError(ParseError):
    """An edXML (QCVN 102:2016/BTTTT) package is malformed, hostile or incomplete."""


class InternalParseError(ParseError):
    """A bug inside the parser, reported as a typed error instead of a crash.

    Tests assert that this never happens; production callers see a ParseError.
    """


class DocumentOverCap(ParseError):
    """A document is larger than a letter may be (pages, operators, unpacked size, text).

    ``cap`` names the limit (e.g. ``pdf_pages``), ``limit`` is its value and ``found`` what the
    document has (None when counting stopped at the limit). The message is for people: Vietnamese.
    """

    def __init__(self, cap: str, limit: int, unit: str, found: int | None = None) -> None:
        self.cap, self.limit, self.unit, self.found = cap, limit, unit, found
        seen = f"; tệp có {found} {unit}" if found is not None else ""
        super().__init__(f"văn bản vượt giới hạn {cap}: tối đa {limit} {unit}{seen}")

    def __reduce__(self) -> tuple[type[DocumentOverCap], tuple[str, int, str, int | None]]:
        return DocumentOverCap, (self.cap, self.limit, self.unit, self.found)


class ExtractionLimit(ParseError):
    """Reading the document took more memory, CPU time or wall time than its worker may use."""

    def __init__(self, limit: str, value: float, unit: str) -> None:
        self.limit, self.value, self.unit = limit, value, unit
        super().__init__(f"đọc văn bản vượt giới hạn {limit} của tiến trình đọc: "
                         f"tối đa {value:g} {unit}")

    def __reduce__(self) -> tuple[type[ExtractionLimit], tuple[str, float, str]]:
        return ExtractionLimit, (self.limit, self.value, self.unit)
