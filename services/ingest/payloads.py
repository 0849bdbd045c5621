"""The HTTP payloads of a submission: what upstream systems send (strict, unknown fields → 422) and
the answers they get back.

Stated text fields are single lines (:class:`~shared.safe_text.SingleLine`): a CR/LF or control
character is refused with a 422 naming the field, the character and its position, instead of
breaking every email and edXML status message about the document later. The body is document text:
its line breaks are normalised and stray controls (form feeds of extracted PDFs…) dropped, not refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.events import AwareDatetime
from shared.events_exchange import Urgency
from shared.safe_text import CleanLines, SingleLine

Text = Annotated[str, SingleLine(500, min_length=1)]


class DispatchMeta(BaseModel):
    """Metadata an upstream system states about a document. All optional; stated values win."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: Annotated[str, SingleLine(2000, min_length=1)] | None = Field(
        default=None, description="Trích yếu.", examples=["V/v tổng kết công tác CCHC năm 2023"]
    )
    issuer: Text | None = Field(default=None, description="Cơ quan ban hành.")
    parent_issuer: Text | None = Field(default=None, description="Cơ quan chủ quản.")
    number: Annotated[str, Field(max_length=20, pattern=r"^[0-9A-Za-z./-]*$")] | None = Field(
        default=None, description="Số văn bản, e.g. 123."
    )
    notation: Annotated[str, SingleLine(60)] | None = Field(
        default=None, description="Ký hiệu, e.g. SCT-VP.", examples=["SCT-VP"]
    )
    doc_type: Annotated[str, SingleLine(60)] | None = Field(
        default=None, description="Loại văn bản, e.g. Công văn."
    )
    issued_on: date | None = Field(default=None, description="Ngày ban hành (YYYY-MM-DD).")
    recipients: list[Text] = Field(default_factory=list, max_length=200, description="Kính gửi.")
    due_at: AwareDatetime | None = Field(
        default=None, description="Deadline the document states, with timezone.",
        examples=["2024-02-16T17:00:00+07:00"],
    )
    document_id: Annotated[str, SingleLine(200)] | None = Field(
        default=None, description="The sender's own document id (edXML DocumentId)."
    )
    urgency: Urgency | None = Field(
        default=None, description="Độ khẩn: normal (thường), urgent (khẩn), very_urgent (thượng "
        "khẩn) or express (hỏa tốc); an urgent document's deadlines are shortened by the "
        "organisation's policy. An edXML package's own Priority wins over this.",
        examples=["express"],
    )


class DispatchIn(DispatchMeta):
    """A document sent as JSON: metadata plus, optionally, its full text."""

    body: Annotated[str, CleanLines(1_000_000)] | None = Field(
        default=None, description="Full text; the parser fills the fields not stated."
    )

    @model_validator(mode="after")
    def _subject_or_body(self) -> DispatchIn:
        if self.subject is None and not (self.body and self.body.strip()):
            raise ValueError("give the subject, or the body text to read it from")
        return self


class BatchIn(BaseModel):
    """Several documents in one request."""

    model_config = ConfigDict(extra="forbid")

    documents: list[DispatchIn] = Field(min_length=1, description="At most INGEST_BATCH_MAX_ITEMS.")


class Accepted(BaseModel):
    """The answer for one document."""

    dispatch_id: str
    status_url: str
    duplicate: bool = Field(default=False, description="True if this document was already known.")
    parsed_fields: list[str] = Field(
        default_factory=list, description="Fields read from the text (guesses to confirm)."
    )
    read_fields: dict[str, Any] = Field(
        default_factory=dict,
        description="Upload: each field read from the file: value, origin (envelope: an edXML "
                    "package's MessageHeader; text or ocr), the attached file it came from "
                    "(attachment) and the OCR confidence.")


class BatchItemResult(BaseModel):
    """The outcome of one document of a batch."""

    index: int
    status: int
    dispatch_id: str | None = None
    detail: str | list[dict[str, Any]] | None = Field(
        default=None, description="Why it was not accepted: a sentence, or (413/422) the fields "
        "and reasons, as for a single document.")
