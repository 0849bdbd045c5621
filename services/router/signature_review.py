"""A signed letter the router must not route on its own: its digital signature is invalid, or was
made for another organisation than the issuer the letter names. Pure.

Ingest verified the signature on arrival (``DispatchReceived.signature``). An ``invalid`` signature
(the letter was altered after signing, or the signature is broken) or a signer's organisation that
does not match the parsed issuer flags the letter for review: it goes to the Office's triage queue
(:mod:`triage`) with the reason, never silently to a unit. An ``untrusted`` signature (intact, but
not chained to the trust store) is routed as usual; the tracker shows it on the dispatch.

The organisation matches when, compared without diacritics, case or punctuation and with ``UBND``
and ``HĐND`` spelt out, one of the certificate's organisation and the issuer (or its parent body)
contains the other: "Sở Công Thương tỉnh Đồng Nai" matches "SỞ CÔNG THƯƠNG".
"""

from __future__ import annotations

from services.router.model import RoutingDecision, RoutingInput
from services.router.triage import office_triage
from shared.organisation import Organisation
from shared.reading_parts import SignatureStatus
from shared.text_match import key
from shared.workdays import WorkCalendar

ABBREVIATIONS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan"}


def review_reason(doc: RoutingInput) -> str | None:
    """Why the letter's signature needs a person's review, or None."""
    signature = doc.signature
    if signature is None or signature.status == SignatureStatus.UNSIGNED:
        return None
    if signature.status == SignatureStatus.INVALID:
        return f"Chữ ký số không hợp lệ: {signature.reason or 'không kiểm tra được chữ ký'}."
    issuers = [name for name in (doc.issuer, doc.parent_issuer) if name]
    if signature.organisation and issuers and not any(
            organisation_matches(signature.organisation, name) for name in issuers):
        return (f"Tổ chức trong chứng thư số («{signature.organisation}», người ký "
                f"«{signature.signer or 'không rõ'}») không khớp cơ quan ban hành «{issuers[0]}».")
    return None


def organisation_matches(organisation: str, issuer: str) -> bool:
    """One name contains the other, word for word, folded and with abbreviations spelt out."""
    a, b = _spelt(organisation), _spelt(issuer)
    if not a or not b:
        return False
    return f" {a} ".find(f" {b} ") >= 0 or f" {b} ".find(f" {a} ") >= 0


def triage_for_review(doc: RoutingInput, organisation: Organisation, calendar: WorkCalendar,
                      reason: str) -> RoutingDecision:
    """The Office checks the signature and the original before anyone is assigned."""
    return office_triage(doc, organisation, calendar, "cần kiểm tra chữ ký số", reason,
                         "sau khi kiểm tra chữ ký số và bản gốc")


def _spelt(name: str) -> str:
    return " ".join(ABBREVIATIONS.get(word, word) for word in key(name).split())
