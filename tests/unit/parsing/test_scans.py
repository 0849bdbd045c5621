"""Scanned letters read by OCR (Tesseract, Vietnamese): a scanned PDF, a PNG, the caps.

Tesseract is required (scripts/bootstrap.sh installs tesseract-ocr and tesseract-ocr-vie): without
it these tests fail, they are never skipped. One page each, at 200 dpi, to stay fast.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace

import pytest
from PIL import Image

from services.ingest.parsing.caps import LETTER
from services.ingest.parsing.errors import DocumentOverCap
from services.ingest.parsing.ocr import OcrClock, Word, confidence_of, layout
from services.ingest.parsing.reading import read_document, read_parsed
from tools.scan_render import scanned_pdf, scanned_png

from .helpers import CORPUS

SEED_2 = (CORPUS.parent / "seeds" / "letter-2-tong-ket-cchc-2023.txt").read_text(encoding="utf-8")
# the letter's first page (up to its own page break), without its blank lines: one A4 page to OCR
FIRST_PAGE_OF_SEED_2 = "\n".join(line for line in SEED_2.split("\n2\n")[0].splitlines() if line.strip())


def test_tesseract_and_its_vietnamese_model_are_installed() -> None:
    import pytesseract

    assert shutil.which("tesseract"), "install tesseract-ocr (scripts/bootstrap.sh does)"
    assert "vie" in pytesseract.get_languages(), "install tesseract-ocr-vie (scripts/bootstrap.sh)"


def test_a_scanned_copy_of_seed_letter_2_is_read_with_its_deadline_and_meeting() -> None:
    pdf = scanned_pdf(FIRST_PAGE_OF_SEED_2)
    reading = read_document(pdf, "cong-van.pdf", "application/pdf")
    document = reading.parsed_document()
    assert document is not None and reading.text is not None
    labels = document.to_labels()
    assert [d["date"] for d in labels["deadlines"]] == ["2024-02-16"]
    assert labels["meeting"]["date"] == "2024-02-19" and labels["meeting"]["time"] == "09:00"
    assert labels["issuer"] == "SỞ CÔNG THƯƠNG"
    deadline = document.origins["deadlines"]
    assert deadline.origin == "ocr" and deadline.confidence is not None and deadline.confidence > 0.6
    sources = document.to_dict_with_sources()
    assert sources["meeting"]["origin"] == "ocr" and 0 < sources["meeting"]["confidence"] <= 1
    assert "19/02/2024" in sources["meeting"]["sentence"]
    assert document.signature is not None and document.signature.status == "unsigned"


def test_a_png_upload_is_read() -> None:
    document = read_parsed(scanned_png(FIRST_PAGE_OF_SEED_2), "anh-chup.png", "image/png")
    assert document.subject is not None and "cải cách hành chính năm 2023" in document.subject.value
    assert document.origins["subject"].origin == "ocr" and document.signature is None


def test_a_scan_over_the_page_cap_is_refused_before_any_page_is_read() -> None:
    blank = Image.new("L", (170, 240), 255)
    buffer = io.BytesIO()
    blank.save(buffer, format="PDF", save_all=True, append_images=[blank] * 10)
    with pytest.raises(DocumentOverCap) as caught:
        read_document(buffer.getvalue(), "scan.pdf", None, LETTER)
    assert (caught.value.cap, caught.value.limit, caught.value.found) == ("ocr_pages", 10, 11)
    assert "ocr_pages" in str(caught.value)


def test_a_huge_picture_is_refused_before_it_is_decoded() -> None:
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000), 1).save(buffer, format="PNG")
    with pytest.raises(DocumentOverCap) as caught:
        read_document(buffer.getvalue(), "huge.png", None, replace(LETTER, image_pixels=40_000_000))
    assert caught.value.cap == "image_pixels"


def test_ocr_time_runs_out_with_an_error_naming_the_cap() -> None:
    clock = OcrClock(replace(LETTER, ocr_seconds=1))
    clock.deadline -= 2
    with pytest.raises(DocumentOverCap, match="ocr_seconds"):
        clock.left()


def test_word_boxes_become_lines_with_column_gaps_and_spans() -> None:
    words = [  # (block, par, line, left, width, text, conf)
        (1, 1, 1, 10, 40, "SỞ", 95), (1, 1, 1, 60, 100, "CÔNG", 90),
        (1, 1, 1, 600, 80, "CỘNG", 80), (1, 1, 2, 10, 50, "Số:", 70), (1, 2, 1, 10, 60, "Kính", 60)]
    data = {"level": [5] * 5, "block_num": [w[0] for w in words], "par_num": [w[1] for w in words],
            "line_num": [w[2] for w in words], "left": [w[3] for w in words],
            "width": [w[4] for w in words], "height": [20] * 5, "text": [w[5] for w in words],
            "conf": [w[6] for w in words]}
    page = layout(data)
    assert page.text == "SỞ CÔNG      CỘNG\nSố:\n\nKính"
    assert [page.text[w.start:w.end] for w in page.words] == ["SỞ", "CÔNG", "CỘNG", "Số:", "Kính"]
    assert confidence_of(page.words, 0, 7) == 0.925
    assert confidence_of([Word(0, 2, 0.5)], 5, 9) is None
