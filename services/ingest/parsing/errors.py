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
    """Plain-text bytes are not valid UTF-8."""


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
