"""extract_text: plain text, PDF, DOCX and scanned bytes, and typed errors for everything else."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfWriter

from bench.hostile_files import pdf
from services.ingest.parsing import parse_text
from services.ingest.parsing.errors import (
    CorruptFileError,
    EmptyDocumentError,
    UnsupportedEncodingError,
    UnsupportedFormatError,
)
from services.ingest.parsing.files import extract_text

from .helpers import read_fixture


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text (the bench's hand-built PDF writer)."""
    return pdf(1, "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({t}) Tj T*" for t in lines) + " ET")


def test_utf8_text_with_bom_is_decoded() -> None:
    data = "\ufeffKính gửi: Sở Tài chính.".encode()
    assert extract_text(data, "letter.txt", "text/plain") == "Kính gửi: Sở Tài chính."


def test_text_in_no_supported_encoding_is_refused_with_a_clear_error() -> None:
    data = "日本語の手紙です。".encode("shift_jis")  # UTF-16, 1258, TCVN3, VNI: test_encodings
    with pytest.raises(UnsupportedEncodingError, match=r"no supported encoding.*not valid UTF-8"):
        extract_text(data, "letter.txt", None)


@pytest.mark.parametrize(("name", "mime"), [("scan.gif", None), (None, "image/gif")])
def test_unknown_type_is_refused(name: str | None, mime: str | None) -> None:
    with pytest.raises(UnsupportedFormatError, match="expected plain text, PDF, DOCX, or a PNG"):
        extract_text(b"GIF89a....", name, mime)


@pytest.mark.parametrize(("name", "mime"), [("scan.png", None), (None, "image/png"), (None, None)])
def test_a_damaged_picture_is_a_corrupt_file(name: str | None, mime: str | None) -> None:
    with pytest.raises(CorruptFileError, match="could not read the image"):
        extract_text(b"\x89PNG\r\n\x1a\n....", name, mime)


def test_pdf_text_is_extracted_from_bytes() -> None:
    pdf = make_pdf(["So: 12/UBND-VP", "Ha Noi, ngay 10/8/2023"])
    text = extract_text(pdf, None, "application/pdf")
    assert "12/UBND-VP" in text and "10/8/2023" in text


def test_pdf_is_sniffed_without_name_or_type() -> None:
    assert "UBND-VP" in extract_text(make_pdf(["12/UBND-VP"]), None, None)


def test_pdf_without_text_layer_is_read_by_ocr_and_a_blank_one_is_empty() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(EmptyDocumentError, match=r"no text found on the scanned pages \(OCR\)"):
        extract_text(buffer.getvalue(), "scan.pdf", None)


def test_damaged_pdf_is_a_corrupt_file() -> None:
    with pytest.raises(CorruptFileError, match="could not read PDF"):
        extract_text(b"%PDF-1.7\nnot really", "x.pdf", None)


def test_docx_letter_is_extracted_and_parsed() -> None:
    document = docx.Document()
    for line in read_fixture("s01.txt").splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Ô trái", "Ô phải"
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text(buffer.getvalue(), "letter.docx", None)
    assert "Ô trái" in text and "Ô phải" in text
    parsed = parse_text(text).to_labels()
    assert (parsed["notation"], parsed["signer_name"]) == ("SCT-VP", "Trương Thị Mỹ Dung")


def test_damaged_docx_is_a_corrupt_file() -> None:
    with pytest.raises(CorruptFileError, match="could not read DOCX"):
        extract_text(b"PK\x03\x04broken", "x.docx", None)
