"""What an edXML package (QCVN 102:2016/BTTTT) carried besides the letter, as on ``DispatchReceived``.

Between agencies, documents travel as edXML packages over the exchange axes (trục liên thông). Their
envelope says how urgent the document is (``OtherInfo/Priority``), whether it is a new document or
revokes, updates or replaces an earlier one (``TraceHeaderList/Bussiness``), where it goes
(``ToPlaces``), which systems it passed (``TraceHeader``) and may carry an XML-DSig signature
(``DigitalSignature``). Ingest reads all of it; the router shortens deadlines by :class:`Urgency`
and a package whose :class:`BusinessKind` is not ``new`` acts on the dispatch(es) whose
``document_id`` is in :attr:`ExchangeDetails.acted_on`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.event_parts import LIST_MAX, AwareDatetime, Explanation, Id, Name
from shared.reading_parts import DocumentSignature

PRIORITY_CODES = {0: "normal", 1: "urgent", 2: "very_urgent", 3: "express", 4: "express"}
BUSINESS_CODES = {0: "new", 1: "revoke", 2: "update", 3: "replace"}


class Urgency(StrEnum):
    """Độ khẩn of a document (edXML ``Priority``; Decree 30: thường, khẩn, thượng khẩn, hỏa tốc)."""

    NORMAL = "normal"
    """Thường: no urgency stated (Priority 0)."""
    URGENT = "urgent"
    """Khẩn (Priority 1)."""
    VERY_URGENT = "very_urgent"
    """Thượng khẩn (Priority 2)."""
    EXPRESS = "express"
    """Hỏa tốc (Priority 3), and hỏa tốc hẹn giờ (Priority 4: express, delivered by a set time)."""

    @classmethod
    def from_priority(cls, code: int | None) -> Urgency | None:
        """The urgency of an edXML Priority code; None for no code or one outside 0–4."""
        name = PRIORITY_CODES.get(code) if code is not None else None
        return cls(name) if name else None

    @property
    def label(self) -> str:
        """The Vietnamese word a clerk reads: thường, khẩn, thượng khẩn, hỏa tốc."""
        return {"normal": "thường", "urgent": "khẩn", "very_urgent": "thượng khẩn",
                "express": "hỏa tốc"}[self.value]


class BusinessKind(StrEnum):
    """What an edXML package does (``Bussiness/BussinessDocType``, spelt so by the standard)."""

    NEW = "new"
    """0: văn bản mới, a new document."""
    REVOKE = "revoke"
    """1: thu hồi: the earlier document is withdrawn; its handling stops."""
    UPDATE = "update"
    """2: cập nhật: the earlier document's details are corrected (same document)."""
    REPLACE = "replace"
    """3: thay thế: this document takes the earlier one's place."""

    @classmethod
    def from_code(cls, code: int | None) -> BusinessKind:
        """The kind of a BussinessDocType code; a missing or unknown code is a new document."""
        return cls(BUSINESS_CODES.get(code, "new") if code is not None else "new")


class TraceHop(BaseModel):
    """One system the package passed (``TraceHeader``): its organ id and when it passed."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    organ_id: Id = Field(description="Mã định danh of the organ (e.g. 000.00.12.H53).")
    at: AwareDatetime | None = Field(
        default=None, description="Its Timestamp (sent as local time, yyyy/MM/dd HH:mm:ss).")


class ExchangeDetails(BaseModel):
    """What an edXML package's envelope carried besides the letter's own fields."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    business: BusinessKind = Field(
        default=BusinessKind.NEW, description="New document, or revokes/updates/replaces one.")
    acted_on: list[Id] = Field(
        default_factory=list, max_length=LIST_MAX,
        description="DocumentId(s) of the earlier document(s) revoked, updated or replaced: "
                    "Bussiness/DocumentId, then each ReplacementInfo/DocumentId; when the package "
                    "names none, its own DocumentId (peers resend the original's). Empty for new.")
    reason: Explanation | None = Field(default=None, description="BussinessDocReason: why.")
    steering_type: int | None = Field(
        default=None, description="SteeringType (chỉ đạo điều hành) as sent; not interpreted.")
    priority: int | None = Field(
        default=None, description="OtherInfo/Priority as sent: 0 thường, 1 khẩn, 2 thượng khẩn, "
                                  "3 hỏa tốc, 4 hỏa tốc hẹn giờ.")
    to_places: list[Name] = Field(default_factory=list, max_length=LIST_MAX,
                                  description="ToPlaces: nơi nhận as the envelope lists them.")
    trace: list[TraceHop] = Field(default_factory=list, max_length=LIST_MAX,
                                  description="TraceHeaderList: the systems it passed, in order.")
    envelope_signature: DocumentSignature | None = Field(
        default=None, description="The envelope's XML-DSig DigitalSignature as verified "
                                  "(unsigned: empty or absent).")

    @property
    def acts_on_earlier(self) -> bool:
        """True when the package revokes, updates or replaces an earlier document."""
        return self.business is not BusinessKind.NEW
