"""Text that is safe everywhere: one definition of single-line and multi-line text, two policies.

*Single-line* text (a subject, a notation, a unit's name) holds no line break and no control
character: no C0 or C1 control (tab included), no DEL, no U+2028/U+2029, no lone surrogate and no
U+FFFE/U+FFFF (not allowed in XML). *Multi-line* text (a body, a note) may also hold LF and tab; CRLF,
CR, NEL and U+2028/U+2029 count as line breaks and become LF.

- At the edge (HTTP input models) :class:`SingleLine` and :class:`MultiLine` **refuse** a value
  that breaks these rules with a 422 that names the field, the character and its position. They
  first normalise to Unicode NFC (Vietnamese sent decomposed and composed compares equal, so
  idempotency keys and routing see one spelling) and trim the ends.
- In events :class:`CleanLine` and :class:`CleanLines` **normalise** instead: line breaks and tabs
  become one space (single line) or LF (multi-line) and other controls are dropped. Parsed document
  text therefore never makes an event invalid, and an older event holding anything still validates.
  They do not NFC-normalise or trim, so a clean value passes unchanged.
- Renderers call :func:`clean_line` / :func:`clean_block` (and :func:`spreadsheet_cell` for CSV):
  they sanitise whatever they are given and never throw.

Each carries a maximum length (``Annotated[str, SingleLine(60)]``), so an oversized value is a
ValidationError naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

LINE_MAX = 2_000
"""Longest single-line text (a subject, trích yếu)."""
BLOCK_MAX = 1_000_000
"""Longest multi-line text (a body sent as JSON)."""

_SPACE_LIKE = "\t\n\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029"
"""Controls that separate words (tab and every line break): a space in a single line."""
_DROPPED = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
"""Controls, lone surrogates and XML non-characters that mean nothing in text: dropped."""
_BREAKS = re.compile(f"[{_SPACE_LIKE}]+")
_DROP = re.compile(f"[{_DROPPED}]")
_NOT_LINE = re.compile(f"[{_SPACE_LIKE}{_DROPPED}]")
_NEWLINES = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c\x1c-\x1f]")
_NOT_BLOCK = re.compile(f"[{_DROPPED}]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_line(text: str) -> str:
    """``text`` as one line: each run of line breaks and tabs (with the blanks around it) becomes
    one space, other controls are dropped. Idempotent, linear, never raises."""
    text = _DROP.sub("", text)
    pieces = _BREAKS.split(text)
    if len(pieces) == 1:
        return text
    inner = [pieces[0].rstrip(), *(p.strip() for p in pieces[1:-1]), pieces[-1].lstrip()]
    return " ".join(p for p in inner if p)


def clean_block(text: str) -> str:
    """``text`` as multi-line text: every line break becomes LF, tabs stay, other controls are
    dropped. Idempotent, linear, never raises."""
    return _DROP.sub("", _NEWLINES.sub("\n", text))


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: strings become one clean line, and one that
    starts with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` (formula injection).
    Other values are returned as they are."""
    if not isinstance(value, str):
        return value
    cell = clean_line(value).strip()
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _offending(value: str, pattern: re.Pattern[str], rule: str) -> str:
    found = pattern.search(value)
    if found is None:
        return value
    raise PydanticCustomError(
        "control_character",
        "{rule}: ký tự U+{code} ở vị trí {position} không được phép "
        "(line breaks and control characters are not allowed here)",
        {"rule": rule, "code": f"{ord(found.group()):04X}", "position": found.start() + 1},
    )


def _refuse_line(value: str) -> str:
    return _offending(value, _NOT_LINE, "Chỉ được viết trên một dòng")


def _refuse_block(value: str) -> str:
    return _offending(_NEWLINES.sub("\n", value), _NOT_BLOCK, "Không được chứa ký tự điều khiển")


def _clean_line(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) else value


def _clean_block(value: Any) -> Any:
    return clean_block(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class _TextRule:
    """Annotation metadata that makes a ``str`` field checked text with a maximum length."""

    max_length: int = LINE_MAX
    min_length: int | None = None
    _multiline: ClassVar[bool] = False
    _refuse: ClassVar[bool] = True

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        text = core_schema.str_schema(max_length=self.max_length, min_length=self.min_length,
                                      strip_whitespace=self._refuse)
        if not self._refuse:
            clean = _clean_block if self._multiline else _clean_line
            return core_schema.no_info_before_validator_function(clean, text)
        refuse = _refuse_block if self._multiline else _refuse_line
        return core_schema.no_info_before_validator_function(
            _nfc, core_schema.no_info_after_validator_function(refuse, text))


@dataclass(frozen=True)
class SingleLine(_TextRule):
    """Edge input, one line: NFC, trimmed, at most ``max_length`` characters; a line break or
    control character is refused (422 naming the field, the character and its position).
    Use as ``Annotated[str, SingleLine(60)]``."""


@dataclass(frozen=True)
class MultiLine(_TextRule):
    """Edge input, several lines: NFC, trimmed, CRLF/CR → LF, tab allowed, other controls refused
    (422); at most ``max_length`` characters."""

    max_length: int = BLOCK_MAX
    _multiline: ClassVar[bool] = True


@dataclass(frozen=True)
class CleanLine(_TextRule):
    """Event field, one line: line breaks and tabs become a space and controls are dropped, never
    refused; longer than ``max_length`` characters is a ValidationError."""

    _refuse: ClassVar[bool] = False


@dataclass(frozen=True)
class CleanLines(_TextRule):
    """Event field, several lines: line breaks become LF and controls are dropped, never refused;
    longer than ``max_length`` characters is a ValidationError."""

    max_length: int = BLOCK_MAX
    _multiline: ClassVar[bool] = True
    _refuse: ClassVar[bool] = False


@dataclass(frozen=True)
class Clipped:
    """Kept as given, but cut to ``max_length`` characters: for a record that must never be refused
    (a dead letter keeps the start of what it could not apply)."""

    max_length: int

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        limit = self.max_length
        return core_schema.no_info_before_validator_function(
            lambda value: value[:limit] if isinstance(value, str) else value,
            core_schema.str_schema(max_length=limit))


Line = Annotated[str, SingleLine()]
"""Edge input: one line of at most 2,000 characters (see :class:`SingleLine`)."""
Block = Annotated[str, MultiLine()]
"""Edge input: text of several lines, at most 1,000,000 characters (see :class:`MultiLine`)."""
