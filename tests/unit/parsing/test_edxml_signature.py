"""An edXML envelope's XML-DSig signature (issue 19), verified against the PDF trust store: valid,
untrusted, invalid after tampering, unsigned when empty; a broken one decides the dispatch's."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.ingest.parsing.reading import Reading, read_document

from .edxml_packages import LETTER_ID, LETTER_NAME, envelope, letter_pdf, signed, tampered, with_files
from .signing import ORGANISATION, sign_pdf, signer, trust_folder

FORMS = ["prefixed", "default-ns"]


def package(form: str = "prefixed", letter: bytes | None = None) -> bytes:
    files = [(LETTER_NAME, "application/pdf", letter or letter_pdf(), LETTER_ID)]
    return signed(with_files(envelope(f"signed-{form}"), files), signer())


def read(data: bytes, trust: Path | None = None) -> Reading:
    return read_document(data, "goi-tin.edxml", None, trust=str(trust) if trust else None)


def envelope_signature(reading: Reading) -> dict[str, object]:
    assert reading.exchange is not None
    signature = reading.exchange["envelope_signature"]
    assert isinstance(signature, dict)
    return signature


@pytest.mark.parametrize("form", FORMS)
def test_a_package_signed_by_the_test_ca_is_valid_with_it_and_untrusted_without(
        form: str, tmp_path: Path) -> None:
    data = package(form)
    trusted = envelope_signature(read(data, trust_folder(tmp_path / "trust")))
    assert trusted["status"] == "valid" and trusted["organisation"] == ORGANISATION
    assert trusted["signer"] == "Phạm Văn Cường" and trusted["reason"] is None
    stranger = envelope_signature(read(data, tmp_path / "empty"))
    assert stranger["status"] == "untrusted" and "chuỗi tin cậy" in str(stranger["reason"])


def test_the_dispatch_is_judged_by_the_envelope_when_the_letter_is_unsigned(tmp_path: Path) -> None:
    document = read(package(), trust_folder(tmp_path)).parsed_document()
    assert document is not None and document.signature is not None
    assert document.signature.status == "valid"


@pytest.mark.parametrize("form", FORMS)
def test_a_package_changed_after_signing_is_invalid_and_decides(form: str, tmp_path: Path) -> None:
    reading = read(tampered(package(form)), trust_folder(tmp_path))
    assert envelope_signature(reading)["status"] == "invalid"
    assert "thay đổi sau khi ký" in str(envelope_signature(reading)["reason"])
    document = reading.parsed_document()
    assert document is not None and document.signature is not None
    assert document.signature.status == "invalid"  # the router triages it like a broken PDF


def test_an_attachment_changed_after_signing_breaks_the_signature(tmp_path: Path) -> None:
    data = package()
    at = data.index(b"<ContentTransferEncoded>") + len(b"<ContentTransferEncoded>") + 40
    changed = data[:at] + (b"A" if data[at:at + 1] != b"A" else b"B") + data[at + 1:]
    assert envelope_signature(read(changed, trust_folder(tmp_path)))["status"] == "invalid"


def test_a_signature_without_its_certificate_is_invalid(tmp_path: Path) -> None:
    data = package()
    start, end = data.index(b"<ds:X509Data>"), data.index(b"</ds:X509Data>") + 14
    reading = read(data[:start] + data[end:], trust_folder(tmp_path))
    assert envelope_signature(reading)["status"] == "invalid"
    assert "X509Certificate" in str(envelope_signature(reading)["reason"])


@pytest.mark.parametrize("name", ["thin-prefixed", "thin-default-ns", "revoke-prefixed"])
def test_an_empty_digital_signature_is_unsigned(name: str) -> None:
    reading = read(envelope(name))
    assert envelope_signature(reading)["status"] == "unsigned"


def test_a_signed_pdf_letter_in_an_unsigned_envelope_gives_the_letter_s_signature(
        tmp_path: Path) -> None:
    files = [(LETTER_NAME, "application/pdf", sign_pdf(letter_pdf(), signer()), LETTER_ID)]
    reading = read(with_files(envelope("thin-prefixed"), files), trust_folder(tmp_path))
    document = reading.parsed_document()
    assert document is not None and document.signature is not None
    assert document.signature.status == "valid" and document.signature.organisation == ORGANISATION
    assert envelope_signature(reading)["status"] == "unsigned"
