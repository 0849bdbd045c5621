"""What ingest learnt while reading an uploaded file, as carried on ``DispatchReceived``.

- :class:`DocumentSignature`: the PDF's digital signature (chữ ký số) as verified on arrival:
  intact or not, chained to the operator's trust store or not, who signed, for which organisation
  and when.
- :class:`FieldOrigin`: where a parsed field was read from: the file's text layer, OCR of a
  scanned page, or an edXML package's envelope, and how sure the reading is (the parser's
  confidence, times the recogniser's for OCR), so a clerk knows which fields to confirm; a field
  read from a file attached to a package names that file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.event_parts import Explanation, Name
from shared.safe_text import CleanLine


class SignatureStatus(StrEnum):
    """The verdict on a document's digital signature."""

    VALID = "valid"
    """Intact, and the signer's certificate chains to the trust store and was valid when signed."""
    UNTRUSTED = "untrusted"
    """Intact, but the certificate does not chain to the trust store (or has expired, or is revoked)."""
    INVALID = "invalid"
    """Altered after signing, or the signature is broken: the document cannot be relied on."""
    UNSIGNED = "unsigned"
    """The file carries no digital signature."""


class DocumentSignature(BaseModel):
    """A digital signature as ingest verified it on arrival: a PDF's (pyHanko) or an edXML
    envelope's XML-DSig (signxml)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    status: SignatureStatus
    signer: Name | None = Field(default=None, description="The signer's name (certificate CN).")
    organisation: Name | None = Field(
        default=None, description="The signer's organisation (certificate O), e.g. Sở Công Thương.")
    signed_at: AwareDatetime | None = Field(
        default=None, description="Signing time the signature states (not a trusted timestamp).")
    reason: Explanation | None = Field(
        default=None, description="Why it is not valid, in a clerk's words (Vietnamese).")


class FieldOrigin(BaseModel):
    """Where one parsed field was read from, and how sure the reading is."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    origin: Literal["text", "ocr", "envelope"] = Field(
        description="text: the file's text layer; ocr: recognised from a scanned page image; "
                    "envelope: stated in an edXML package's MessageHeader.")
    confidence: float | None = Field(
        default=None, ge=0, le=1,
        description="How sure the reading is (0–1): the parser's confidence in the field, from "
                    "where and in what form the letter states it (ADR 0003, Confidence); for ocr, "
                    "times the recogniser's mean confidence over the field's words; None for an "
                    "envelope's field or when not known.")
    attachment: Annotated[str, CleanLine(255)] | None = Field(
        default=None, description="The file attached to the edXML package (AttachmentEncoded) the "
                                  "field was read from; None: the uploaded file or the envelope.")
