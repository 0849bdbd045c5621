"""The letter caps: what a document may hold before extraction refuses it (pure, in-process)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bench import hostile_files as hostile
from services.ingest.parsing.caps import LETTER, Caps
from services.ingest.parsing.errors import DocumentOverCap
from services.ingest.parsing.files import extract_text
from services.ingest.parsing.pdf_ops import count_operators


def _over(data: bytes, name: str, caps: Caps = LETTER) -> DocumentOverCap:
    with pytest.raises(DocumentOverCap) as caught:
        extract_text(data, name, None, caps)
    return caught.value


def test_pages_sharing_one_stream_count_it_once_per_page() -> None:
    reader = PdfReader(io.BytesIO(hostile.shared_stream_pdf(pages=10, operators=1001)))
    assert count_operators(reader, 1_000_000) == 10 * 1001


def test_a_form_xobject_counts_once_per_do() -> None:
    form = "BT /F1 1 Tf " + "(x) Tj " * 99 + "ET"  # 102 operators
    page = "/Fm1 Do " * 30  # 30 operators, each drawing the form
    data = hostile.pdf(1, page).replace(
        b"/Resources << /Font << /F1 5 0 R >> >>",
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 3 0 R >> >>")
    data = data.replace(b"3 0 obj\n<< >>", (
        f"3 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length {len(form)} >>\n"
        f"stream\n{form}\nendstream").encode())
    reader = PdfReader(io.BytesIO(data))
    assert count_operators(reader, 1_000_000) == 30 + 30 * 102


def test_the_reported_pdf_is_refused_on_operators_before_any_extraction() -> None:
    data = hostile.shared_stream_pdf()
    assert len(data) < 4096
    error = _over(data, "x.pdf")
    assert (error.cap, error.limit) == ("pdf_operators", 100_000)
    assert "pdf_operators" in str(error) and "100000" in str(error)


def test_fifty_one_pages_are_refused_naming_the_page_cap() -> None:
    error = _over(hostile.many_pages_pdf(51), "x.pdf")
    assert (error.cap, error.limit, error.found) == ("pdf_pages", 50, 51)


def test_the_heaviest_allowed_pdf_is_within_every_cap() -> None:
    reader = PdfReader(io.BytesIO(hostile.heaviest_allowed_pdf()))
    assert len(reader.pages) == 50
    assert 99_000 < count_operators(reader, 100_000) <= 100_000


def test_the_reported_docx_is_refused_on_its_part_size() -> None:
    data = hostile.docx_bomb()
    assert len(data) < 100_000
    error = _over(data, "x.docx")
    assert (error.cap, error.limit) == ("docx_part_bytes", 5 * 1024 * 1024)
    assert error.found is not None and error.found > 20_000_000


def test_docx_unpacked_total_and_extracted_text_have_their_own_caps() -> None:
    small = hostile.docx_paragraphs(2000)
    assert _over(small, "x.docx", Caps(docx_unpacked_bytes=100_000)).cap == "docx_unpacked_bytes"
    assert _over(small, "x.docx", Caps(text_bytes=50_000)).cap == "text_bytes"
    assert _over(hostile.many_pages_pdf(3), "x.pdf", Caps(text_bytes=100)).cap == "text_bytes"
    assert _over(b"a" * 200, "x.txt", Caps(text_bytes=100)).cap == "text_bytes"
    assert "Cong van" in extract_text(small, "x.docx", None)


def test_over_cap_errors_survive_the_trip_between_processes() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(DocumentOverCap("pdf_pages", 50, "trang", 51)))
    assert (error.cap, error.limit, error.found, str(error)) == (
        "pdf_pages", 50, 51, "văn bản vượt giới hạn pdf_pages: tối đa 50 trang; tệp có 51 trang")
