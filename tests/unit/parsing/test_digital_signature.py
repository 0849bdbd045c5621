"""Digital signatures verified with pyHanko against a trust store folder; a test CA signs the PDFs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from services.ingest.parsing.digital_signature import TrustStore, verify_signature
from services.ingest.parsing.reading import read_document
from shared.reading_parts import SignatureStatus
from tools.parse_cli import parse_app

from .signing import ORGANISATION, altered, amended, letter_pdf, sign_pdf, signer, trust_folder


def test_a_pdf_signed_by_the_test_ca_is_untrusted_without_it_and_valid_with_it(tmp_path: Path) -> None:
    signed = sign_pdf(letter_pdf(), signer())
    untrusted = verify_signature(signed, tmp_path / "empty")
    assert untrusted.status == SignatureStatus.UNTRUSTED and "chuỗi tin cậy" in (untrusted.reason or "")
    valid = verify_signature(signed, trust_folder(tmp_path / "store"))
    assert valid.status == SignatureStatus.VALID and valid.reason is None
    assert (valid.signer, valid.organisation) == ("Phạm Văn Cường", ORGANISATION)
    assert valid.signed_at is not None and valid.signed_at.tzinfo is not None


def test_the_same_pdf_altered_after_signing_is_invalid(tmp_path: Path) -> None:
    broken = verify_signature(altered(sign_pdf(letter_pdf(), signer())), trust_folder(tmp_path))
    assert broken.status == SignatureStatus.INVALID
    assert "thay đổi sau khi ký" in (broken.reason or "") and broken.organisation == ORGANISATION


def test_a_page_replaced_in_an_update_after_signing_is_invalid(tmp_path: Path) -> None:
    verdict = verify_signature(amended(sign_pdf(letter_pdf(), signer())), trust_folder(tmp_path))
    assert verdict.status == SignatureStatus.INVALID and "sửa đổi sau khi ký" in (verdict.reason or "")


def test_an_expired_signer_certificate_is_not_valid_even_with_its_ca_trusted(tmp_path: Path) -> None:
    verdict = verify_signature(sign_pdf(letter_pdf(), signer(expired=True)), trust_folder(tmp_path))
    assert verdict.status == SignatureStatus.UNTRUSTED and "hết hạn" in (verdict.reason or "")


def test_an_unsigned_pdf_and_a_damaged_signature(tmp_path: Path) -> None:
    assert verify_signature(letter_pdf(), TrustStore()).status == SignatureStatus.UNSIGNED
    damaged = letter_pdf().replace(b"%%EOF", b"/ByteRange [0 1 2 3]\n%%EOF")
    assert verify_signature(damaged, TrustStore()).status in (SignatureStatus.UNSIGNED,
                                                              SignatureStatus.INVALID)


def test_the_reading_carries_the_signature_for_the_event(tmp_path: Path) -> None:
    reading = read_document(altered(sign_pdf(letter_pdf(), signer())), "cv.pdf", None,
                            trust=str(trust_folder(tmp_path)))
    document = reading.parsed_document()
    assert document is not None and document.signature is not None
    extras = document.event_extras(["subject"])
    assert extras["signature"].status == SignatureStatus.INVALID


def test_vanthu_parse_prints_the_signature(tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(letter_pdf(), signer()))
    runner = CliRunner()
    result = runner.invoke(parse_app, ["parse", str(path), "--trust-store",
                                       str(trust_folder(tmp_path / "store"))])
    assert result.exit_code == 0, result.output
    signature = json.loads(result.output)["signature"]
    assert signature["status"] == "valid" and signature["organisation"] == ORGANISATION
    assert signature["signer"] == "Phạm Văn Cường" and "signed_at" in signature
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(letter_pdf())
    result = runner.invoke(parse_app, ["parse", str(plain)])
    assert json.loads(result.output)["signature"] == {"status": "unsigned"}
