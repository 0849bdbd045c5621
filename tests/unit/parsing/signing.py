"""A test certificate authority, and PDFs it signs with pyHanko (no network, no fixed keys)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench import hostile_files

ORGANISATION = "Sở Công Thương tỉnh Đồng Nai"


@dataclass(frozen=True)
class Issued:
    """A certificate and its key, as PEM."""

    cert_pem: bytes
    key_pem: bytes


def _name(common: str, organisation: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(parts)


def _pem(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Issued:
    return Issued(cert.public_bytes(serialization.Encoding.PEM),
                  key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))


@cache
def test_ca() -> tuple[Issued, x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A self-signed root, valid from yesterday for ten years."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    name = _name("Vanthu Test Root CA", "Vanthu Test")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    return _pem(cert, key), cert, key


def signer(organisation: str = ORGANISATION, common: str = "Phạm Văn Cường",
           expired: bool = False) -> Issued:
    """A signing certificate issued by :func:`test_ca`; ``expired``: it ended two days ago."""
    _, ca_cert, ca_key = test_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=30), now - timedelta(days=2)) if expired else (
        now - timedelta(days=1), now + timedelta(days=365))
    cert = (x509.CertificateBuilder().subject_name(_name(common, organisation))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                           critical=True)
            .sign(ca_key, hashes.SHA256()))
    return _pem(cert, key)


def sign_pdf(pdf: bytes, issued: Issued) -> bytes:
    """``pdf`` signed by ``issued`` (an incremental update with one signature field)."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    ca_pem = test_ca()[0].cert_pem
    simple = signers.SimpleSigner(
        signing_cert=next(iter(load_certs_from_pemder_data(issued.cert_pem))),
        signing_key=load_private_key_from_pemder_data(issued.key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(list(load_certs_from_pemder_data(ca_pem))))
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                     signers.PdfSignatureMetadata(field_name="Signature1"), signer=simple,
                     output=out)
    return out.getvalue()


def letter_pdf() -> bytes:
    """A one-page PDF with a text layer."""
    return hostile_files.pdf(1, hostile_files.text_stream(12))


def trust_folder(folder: Path) -> Path:
    """``folder`` holding the test CA's root certificate."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vanthu-test-root.pem").write_bytes(test_ca()[0].cert_pem)
    return folder


def altered(signed: bytes) -> bytes:
    """``signed`` with one byte of its signed page content changed."""
    at = signed.index(b"Cong van so 12")
    return signed[:at] + b"K" + signed[at + 1:]


def amended(signed: bytes) -> bytes:
    """``signed`` with its page's content replaced in an incremental update after signing (the
    signed bytes stay intact; the document a reader sees does not)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(
        stream_data=b"BT /F1 11 Tf 72 700 Td (Han xu ly: 01/01/2020) Tj ET"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
