"""A PDF's digital signature (chữ ký số), verified with pyHanko against the operator's trust store.

- ``unsigned``: no signature field carries a signature.
- ``invalid``: a signed byte changed (the digest no longer matches), the signature does not verify,
  the document was changed after signing beyond what a signature allows (pyHanko's difference
  analysis), or the signature cannot be read at all.
- ``untrusted``: intact, but the signer's certificate does not chain to a certificate of the trust
  store, or had expired (or was not yet valid, or was revoked) when it signed.
- ``valid``: intact and trusted.

The trust store is a folder of root and intermediate certificates (PEM or DER; ``.pem``, ``.crt``,
``.cer``, ``.der``): the Vietnamese government CA's roots in production. Nothing is fetched from the
network (no OCSP, CRL or AIA). With several signatures, the first one not valid decides, otherwise
the first signature's signer is reported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.reading_parts import DocumentSignature, SignatureStatus

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
UNSIGNED = DocumentSignature(status=SignatureStatus.UNSIGNED)


@dataclass(frozen=True)
class TrustStore:
    """The certificates a signature must chain to: roots (self-signed) and intermediates."""

    roots: tuple[Any, ...] = ()
    intermediates: tuple[Any, ...] = ()

    @classmethod
    def load(cls, folder: str | Path | None) -> TrustStore:
        """Every certificate file in ``folder`` (none if it is None or missing)."""
        from pyhanko.keys import load_certs_from_pemder

        path = Path(folder) if folder else None
        if path is None or not path.is_dir():
            return cls()
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES)
        certs = list(load_certs_from_pemder([str(p) for p in files])) if files else []  # type: ignore[no-untyped-call]
        roots = tuple(c for c in certs if c.self_signed in ("maybe", "yes"))
        return cls(roots, tuple(c for c in certs if c not in roots))


def verify_signature(data: bytes, trust: TrustStore | str | Path | None) -> DocumentSignature:
    """The verdict on ``data``'s signatures (a PDF's bytes), against ``trust`` (or the trust
    store folder it names, read only when the PDF carries a signature)."""
    if b"/ByteRange" not in data:
        return UNSIGNED
    if not isinstance(trust, TrustStore):
        trust = TrustStore.load(trust)
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # pyHanko raises many types on damaged files
        return _broken(f"không đọc được chữ ký số của tệp PDF ({type(exc).__name__})")
    if not signatures:
        return UNSIGNED
    verdicts = [_verify_one(signature, trust) for signature in signatures]
    return next((v for v in verdicts if v.status != SignatureStatus.VALID), verdicts[0])


def _verify_one(signature: Any, trust: TrustStore) -> DocumentSignature:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=list(trust.roots), other_certs=list(trust.intermediates),
                                allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception as exc:  # a malformed signature dictionary or CMS blob
        return _broken(f"chữ ký số không kiểm tra được ({type(exc).__name__})")
    who = _who(status.signing_cert)
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        return _verdict(SignatureStatus.INVALID, who, signed_at,
                        "nội dung văn bản đã bị thay đổi sau khi ký, hoặc chữ ký số bị hỏng")
    if _changed_after_signing(status):
        return _verdict(SignatureStatus.INVALID, who, signed_at,
                        "văn bản đã bị sửa đổi sau khi ký (ngoài những thay đổi chữ ký cho phép)")
    if status.trusted and not status.revoked:
        return _verdict(SignatureStatus.VALID, who, signed_at, None)
    return _verdict(SignatureStatus.UNTRUSTED, who, signed_at, _why_untrusted(status, signed_at))


def _changed_after_signing(status: Any) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    level = status.modification_level
    return status.coverage < SignatureCoverageLevel.ENTIRE_REVISION or (
        level is not None and level > ModificationLevel.FORM_FILLING)


def _why_untrusted(status: Any, signed_at: datetime | None) -> str:
    cert = status.signing_cert
    if status.revoked:
        return "chứng thư số của người ký đã bị thu hồi"
    when = signed_at or datetime.now(cert.not_valid_after.tzinfo)
    if when > cert.not_valid_after:
        return (f"chứng thư số của người ký đã hết hạn ngày {cert.not_valid_after:%d/%m/%Y}, "
                "trước thời điểm ký")
    if when < cert.not_valid_before:
        return "chứng thư số của người ký chưa có hiệu lực tại thời điểm ký"
    return "chữ ký còn nguyên vẹn nhưng chứng thư số không thuộc chuỗi tin cậy đã cấu hình"


def _who(cert: Any) -> tuple[str | None, str | None]:
    subject = cert.subject.native if cert is not None else {}
    return _first(subject.get("common_name")), _first(subject.get("organization_name"))


def _first(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value) if value else None


def _verdict(status: SignatureStatus, who: tuple[str | None, str | None],
             signed_at: datetime | None, reason: str | None) -> DocumentSignature:
    signer, organisation = who
    if signed_at is not None and signed_at.tzinfo is None:
        signed_at = None  # a signing time without its zone says nothing reliable
    return DocumentSignature(status=status, signer=signer, organisation=organisation,
                             signed_at=signed_at, reason=reason)


def _broken(reason: str) -> DocumentSignature:
    return DocumentSignature(status=SignatureStatus.INVALID, reason=reason)
