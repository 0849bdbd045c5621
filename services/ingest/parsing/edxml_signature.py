"""An edXML envelope's digital signature (``DigitalSignature``, XML-DSig), verified with signxml
against the same trust store as a PDF's (:mod:`digital_signature`), with the same verdicts:

- ``unsigned``: the ``DigitalSignature`` element is empty or absent (no ``ds:Signature``).
- ``invalid``: the signature or a reference's digest does not verify (the package was changed after
  signing), it carries no signer certificate (``X509Data/X509Certificate``), it does not cover the
  whole package (its reference must be ``URI=""`` with the enveloped-signature transform, as peers
  sign, so the attachments are covered), or it cannot be read at all.
- ``untrusted``: intact, but the certificate does not chain to the trust store, or has expired (or is
  not yet valid, or is revoked).
- ``valid``: intact and trusted.

SHA-1 signature and digest methods are accepted: the peer systems on the exchange axes sign with
``rsa-sha1``/``sha1``. Nothing is fetched from the network (no OCSP, CRL or AIA). The integrity check
uses the certificate the signature carries; the chain is then validated by pyhanko-certvalidator,
as for PDFs.
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from services.ingest.parsing.digital_signature import UNSIGNED, TrustStore
from shared.reading_parts import DocumentSignature, SignatureStatus

DSIG = "http://www.w3.org/2000/09/xmldsig#"


def verify_envelope(data: bytes, root: ET.Element,
                    trust: TrustStore | str | Path | None) -> DocumentSignature:
    """The verdict on the package ``data`` (already parsed safely as ``root``)."""
    signature = next(root.iter(f"{{{DSIG}}}Signature"), None)
    if signature is None:
        return UNSIGNED
    pems = [" ".join((e.text or "").split()) for e in signature.iter(f"{{{DSIG}}}X509Certificate")]
    if not any(pems):
        return _broken("chữ ký số của gói tin không kèm chứng thư số (X509Certificate)")
    try:
        certs = [x509.load_der_x509_certificate(_b64(pem)) for pem in pems if pem]
    except ValueError:
        return _broken("chứng thư số trong chữ ký của gói tin bị hỏng")
    try:
        signed = _verify_integrity(data, certs[0])
    except Exception as exc:  # signxml raises many types on a broken or altered signature
        return _verdict(SignatureStatus.INVALID, certs[0],
                        f"gói tin đã bị thay đổi sau khi ký, hoặc chữ ký số bị hỏng "
                        f"({type(exc).__name__})")
    if signed.tag != root.tag:  # both parsers spell a tag {namespace}name
        return _verdict(SignatureStatus.INVALID, certs[0],
                        "chữ ký số không bao trùm toàn bộ gói tin (cả tệp đính kèm)")
    if not isinstance(trust, TrustStore):
        trust = TrustStore.load(trust)
    why = _why_untrusted(certs, trust)
    return _verdict(SignatureStatus.UNTRUSTED if why else SignatureStatus.VALID, certs[0], why)


def _verify_integrity(data: bytes, cert: x509.Certificate) -> Any:
    from signxml.algorithms import DigestAlgorithm, SignatureMethod
    from signxml.verifier import SignatureConfiguration, VerifyResult, XMLVerifier

    config = SignatureConfiguration(  # one reference; the certificate's validity is checked below
        signature_methods=frozenset(SignatureMethod), digest_algorithms=frozenset(DigestAlgorithm),
        verification_time=cert.not_valid_before_utc + timedelta(seconds=1))
    result = XMLVerifier().verify(data, x509_cert=cert, expect_config=config)
    assert isinstance(result, VerifyResult)
    return result.signed_xml


def _why_untrusted(certs: list[x509.Certificate], trust: TrustStore) -> str | None:
    from asn1crypto import x509 as asn1
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import ExpiredError, RevokedError

    chain = [asn1.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]
    context = ValidationContext(trust_roots=list(trust.roots),
                                other_certs=[*trust.intermediates, *chain[1:]], allow_fetching=False)
    validator = CertificateValidator(chain[0], validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage(set()))  # type: ignore[no-untyped-call]
    except ExpiredError:
        return (f"chứng thư số của người ký đã hết hạn ngày "
                f"{certs[0].not_valid_after_utc:%d/%m/%Y}, hoặc chưa có hiệu lực")
    except RevokedError:
        return "chứng thư số của người ký đã bị thu hồi"
    except Exception:  # no path to a trusted root, or a path that does not validate
        return "chữ ký còn nguyên vẹn nhưng chứng thư số không thuộc chuỗi tin cậy đã cấu hình"
    return None


def _b64(text: str) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64") from exc


def _verdict(status: SignatureStatus, cert: x509.Certificate,
             reason: str | None) -> DocumentSignature:
    return DocumentSignature(status=status, signer=_name(cert, NameOID.COMMON_NAME),
                             organisation=_name(cert, NameOID.ORGANIZATION_NAME), reason=reason)


def _name(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str | None:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _broken(reason: str) -> DocumentSignature:
    return DocumentSignature(status=SignatureStatus.INVALID, reason=reason)
