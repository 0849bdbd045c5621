"""How big a letter may be: the caps every extraction checks. Pure.

Sized for letters (công văn), with a wide margin, not for books:

- ``pdf_pages`` 50: a letter with its annexes runs to a few pages; 50 is ten times a long one.
- ``pdf_operators`` 100,000 content-stream operators over the whole document, counting a stream
  once per page (and a form XObject once per ``Do``) because that is how often extraction parses
  it. A page of a letter exported from Word holds 250–1,000 operators (one text-showing operator per
  line or run, plus positioning); even text positioned word by word stays under 2,000. So 100,000
  admits 50 such pages, or 10 pages at 10,000, while bounding the work: pypdf needs 20–55 µs per
  operator, so the heaviest allowed document costs a few seconds of one worker's CPU.
- ``text_bytes`` 5 MB of extracted text (UTF-8): about 2,000 dense pages of Vietnamese.
- ``docx_part_bytes`` 5 MB for one unpacked XML part of a DOCX (``word/document.xml`` of a
  50-page letter is well under 2 MB) and ``docx_unpacked_bytes`` 25 MB for all parts together
  (embedded pictures are stored, not compressed, so they unpack to about their upload size).
- ``ocr_pages`` 10 scanned pages read by OCR (a scanned letter is one to four pages; Tesseract takes
  one to three seconds a page at 200 dpi on one core) and ``ocr_seconds`` 25 of OCR wall time for the
  whole document, below the extraction worker's own wall-time limit (30 s by default), so a slow scan
  gets a 422 naming ``ocr_seconds`` rather than a killed worker.
- ``image_pixels`` 40 million pixels for one page image (A4 at 600 dpi is 35 million), decoded or
  rendered; a page rendered for OCR is scaled down to fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.ingest.parsing.errors import DocumentOverCap

MB = 1024 * 1024


@dataclass(frozen=True)
class Caps:
    """The caps one extraction applies; the defaults are the service's."""

    pdf_pages: int = 50
    pdf_operators: int = 100_000
    text_bytes: int = 5 * MB
    docx_part_bytes: int = 5 * MB
    docx_unpacked_bytes: int = 25 * MB
    ocr_pages: int = 10
    ocr_seconds: int = 25
    image_pixels: int = 40_000_000


LETTER = Caps()


def check(cap: str, limit: int, found: int, unit: str) -> None:
    """Raise :class:`DocumentOverCap` if ``found`` exceeds ``limit``."""
    if found > limit:
        raise DocumentOverCap(cap, limit, unit, found)


class TextBudget:
    """Counts extracted text as it grows, page by page, against ``text_bytes``."""

    def __init__(self, caps: Caps) -> None:
        self._limit = caps.text_bytes
        self._used = 0

    def take(self, text: str) -> str:
        """Count ``text``; raise once the total passes the cap."""
        self._used += len(text.encode("utf-8", "surrogatepass"))
        if self._used > self._limit:
            raise DocumentOverCap("text_bytes", self._limit, "byte văn bản trích ra")
        return text
