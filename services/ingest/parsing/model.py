"""Result models of the parser (kết quả bóc tách văn bản).

Every extracted value is an :class:`Extracted` carrying the character span of the
text it came from, so a clerk (văn thư) can confirm it against the source sentence.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from services.ingest.parsing.text import WorkingText, sentence_around
from shared.reading_parts import DocumentSignature, FieldOrigin

T = TypeVar("T")

#: The label keys of the corpus, in order; `to_labels()` returns exactly these.
LABEL_KEYS: tuple[str, ...] = (
    "issuer",
    "parent_issuer",
    "number",
    "notation",
    "doc_type",
    "place",
    "issued_on",
    "subject",
    "recipients",
    "deadlines",
    "meeting",
    "referenced_documents",
    "signer_title",
    "signer_name",
    "distribution",
)


class Span(BaseModel):
    """Half-open character range ``[start, end)`` into the parser's input text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


class Extracted(BaseModel, Generic[T]):
    """A value together with the span of the text it was read from (None: no text)."""

    model_config = ConfigDict(frozen=True)

    value: T
    span: Span | None = None


class Deadline(BaseModel):
    """A time limit the document itself sets (hạn xử lý): ISO date, ``HH:MM`` time.

    This is the parser's reading in the corpus's label shape (plain text, not yet checked); the
    contract's :class:`~shared.events.StatedDeadline` is the one checked form, and
    ``services.ingest.intake`` turns this into it (a reading that does not fit is dropped there).
    """

    date: str | None
    time: str | None = None
    what: str | None = None
    who: str | None = None


class Meeting(BaseModel):
    """The meeting the document convenes or invites to (cuộc họp, giấy mời).

    The parser's reading in the label shape; ``services.ingest.intake`` turns it into the contract's
    :class:`~shared.events.MeetingInfo`, as for :class:`Deadline`.
    """

    date: str | None = None
    time: str | None = None
    place: str | None = None


class DocumentRef(BaseModel):
    """A document cited in the text (văn bản được viện dẫn): số, ký hiệu, ngày."""

    number: str | None
    notation: str
    date: str | None = None


class ParsedDocument(BaseModel):
    """Fields of a Decree 30/2020/NĐ-CP administrative document, named like the labels."""

    issuer: Extracted[str] | None = None
    parent_issuer: Extracted[str] | None = None
    number: Extracted[str] | None = None
    notation: Extracted[str] | None = None
    doc_type: Extracted[str] | None = None
    place: Extracted[str] | None = None
    issued_on: Extracted[str] | None = None
    subject: Extracted[str] | None = None
    recipients: list[Extracted[str]] = Field(default_factory=list)
    deadlines: list[Extracted[Deadline]] = Field(default_factory=list)
    meeting: Extracted[Meeting] | None = None
    referenced_documents: list[Extracted[DocumentRef]] = Field(default_factory=list)
    signer_title: Extracted[str] | None = None
    signer_name: Extracted[str] | None = None
    distribution: list[Extracted[str]] = Field(default_factory=list)
    urgency: Extracted[str] | None = Field(
        default=None, description="Độ khẩn the letter prints (an Urgency value); not a label.")
    source_text: str = Field(default="", exclude=True, repr=False)
    signature: DocumentSignature | None = Field(
        default=None, description="The file's digital signature as verified (PDF uploads only).")
    origins: dict[str, FieldOrigin] = Field(
        default_factory=dict, description="Field → text layer or OCR, with the OCR confidence.")

    def event_extras(self, parsed_fields: list[str]) -> dict[str, Any]:
        """What ``DispatchReceived`` carries beside the fields: the signature, and the origin of
        each of ``parsed_fields`` (the fields the parser filled in)."""
        origins = {name: self.origins[name] for name in parsed_fields if name in self.origins}
        return {"signature": self.signature, "field_origins": origins}

    def to_labels(self) -> dict[str, Any]:
        """Plain JSON-able dict with exactly the label keys and no spans."""
        return {key: _plain(getattr(self, key)) for key in LABEL_KEYS}

    def to_dict_with_sources(self) -> dict[str, Any]:
        """Like :meth:`to_labels` but each value is ``{value, span, sentence}``, plus ``origin``
        and ``confidence`` where the reading recorded them (:attr:`origins`)."""
        fields = {key: self._with_source(getattr(self, key)) for key in LABEL_KEYS}
        for name, origin in self.origins.items():
            entries = fields.get(name)
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict):
                    entry.update(origin.model_dump())
        return fields

    def _with_source(self, item: Any) -> Any:
        if item is None:
            return None
        if isinstance(item, list):
            return [self._with_source(one) for one in item]
        span = item.span
        sentence = None
        if span is not None and self.source_text:
            sentence = sentence_around(self.source_text, span.start, span.end)
        return {
            "value": _plain(item),
            "span": None if span is None else [span.start, span.end],
            "sentence": sentence,
        }


def _plain(item: Any) -> Any:
    if item is None:
        return None
    if isinstance(item, list):
        return [_plain(one) for one in item]
    value = item.value
    return value.model_dump() if isinstance(value, BaseModel) else value


def extracted(wt: WorkingText, value: T, start: int, end: int) -> Extracted[T]:
    """Wrap ``value`` read from ``wt.text[start:end]`` with its span in the input."""
    return Extracted(value=value, span=Span(start=wt.to_source(start), end=wt.to_source(end)))
