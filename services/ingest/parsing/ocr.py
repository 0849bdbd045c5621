"""Reading scanned pages: Tesseract with its Vietnamese model (Debian's ``tesseract-ocr`` and
``tesseract-ocr-vie``), through pytesseract.

Each page is recognised as one block of text (``--psm 6``), word by word with its confidence, and
laid out again as lines: a wide gap between two words on a line (the two columns of a letter's
header) becomes a run of spaces, as a PDF's text layer gives it, so the parser reads the OCR text
as it reads any text. A speck read as a letter (a tiny box, next to no confidence) is dropped.
Each word keeps its span in the text and its confidence, from which a field's confidence is
computed (:func:`confidence_of`).

Tesseract runs as a child process of the extraction worker, single-threaded
(``OMP_THREAD_LIMIT=1``), under the worker's limits and within the document's ``ocr_seconds``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from services.ingest.parsing.caps import Caps
from services.ingest.parsing.errors import DocumentOverCap, ParseError

LANGUAGE = "vie"
CONFIG = "--psm 6"
COLUMN_GAP = 2.5  # a gap wider than this many line heights separates two columns
COLUMN_SPACES = " " * 6
SPECK_PIXELS, SPECK_CONFIDENCE = 6, 30  # at 200 dpi a letter's box is 15-30 pixels high


@dataclass(frozen=True)
class Word:
    """One recognised word: its span ``[start, end)`` in the OCR text and its confidence (0–1)."""

    start: int
    end: int
    confidence: float


@dataclass
class ScanText:
    """The text of scanned pages, with every recognised word's span and confidence."""

    text: str = ""
    words: list[Word] = field(default_factory=list)

    def add_page(self, page: ScanText) -> None:
        """Append ``page`` after a blank line, shifting its spans."""
        shift = len(self.text) + (2 if self.text else 0)
        self.text = f"{self.text}\n\n{page.text}" if self.text else page.text
        self.words += [Word(w.start + shift, w.end + shift, w.confidence) for w in page.words]


class OcrClock:
    """The OCR time a document has left (``ocr_seconds``); raises once it is spent."""

    def __init__(self, caps: Caps) -> None:
        self.caps = caps
        self.deadline = time.monotonic() + caps.ocr_seconds

    def left(self) -> float:
        """Seconds left; raises :class:`DocumentOverCap` naming ``ocr_seconds`` when none are."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.over()
        return left

    def over(self) -> DocumentOverCap:
        """The error for a document whose OCR ran out of time."""
        return DocumentOverCap("ocr_seconds", self.caps.ocr_seconds, "giây nhận dạng chữ (OCR)")


def recognise(image: Any, clock: OcrClock) -> ScanText:
    """The text of one page image (a PIL image), within the time ``clock`` has left."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # two cores, shared: one thread per page
    try:
        data = pytesseract.image_to_data(image, lang=LANGUAGE, config=CONFIG,
                                         output_type=pytesseract.Output.DICT, timeout=clock.left())
    except pytesseract.TesseractNotFoundError as exc:
        raise ParseError("không đọc được bản quét: máy chủ chưa cài Tesseract (tesseract-ocr, "
                         "tesseract-ocr-vie)") from exc
    except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"
        if "timeout" in str(exc).lower():
            raise clock.over() from exc
        raise ParseError(f"không đọc được bản quét: {exc}") from exc
    except pytesseract.TesseractError as exc:
        raise ParseError(f"không đọc được bản quét: {exc.message}") from exc
    return layout(data)


def layout(data: dict[str, list[Any]]) -> ScanText:
    """Lines of words from Tesseract's word boxes (``image_to_data``): one line per line, a blank
    line between paragraphs, a run of spaces for a column gap."""
    page = ScanText()
    parts: list[str] = []
    length = 0
    last_line: tuple[int, int, int] | None = None
    last_right, height = 0, 0
    for index, raw in enumerate(data["text"]):
        text = str(raw).strip()
        if int(data["level"][index]) != 5 or not text or _speck(data, index):
            continue
        key = (int(data["block_num"][index]), int(data["par_num"][index]),
               int(data["line_num"][index]))
        left, width = int(data["left"][index]), int(data["width"][index])
        if last_line is None:
            separator = ""
        elif key[:2] != last_line[:2]:
            separator = "\n\n"
        elif key != last_line:
            separator = "\n"
        else:
            wide = left - last_right > COLUMN_GAP * max(height, int(data["height"][index]), 1)
            separator = COLUMN_SPACES if wide else " "
        parts.append(separator)
        length += len(separator)
        confidence = max(0.0, min(1.0, float(data["conf"][index]) / 100))
        page.words.append(Word(length, length + len(text), confidence))
        parts.append(text)
        length += len(text)
        last_line, last_right, height = key, left + width, int(data["height"][index])
    page.text = "".join(parts)
    return page


def _speck(data: dict[str, list[Any]], index: int) -> bool:
    """A scanner's speck read as a letter: a tiny box recognised with next to no confidence."""
    tiny = max(int(data["width"][index]), int(data["height"][index])) <= SPECK_PIXELS
    return tiny and float(data["conf"][index]) < SPECK_CONFIDENCE


def confidence_of(words: list[Word], start: int, end: int) -> float | None:
    """Mean confidence of the words overlapping ``[start, end)``; None if none do."""
    found = [w.confidence for w in words if w.start < end and w.end > start]
    return round(sum(found) / len(found), 3) if found else None
