"""Scanned documents to text: a PDF without a text layer, or a PNG, JPEG or TIFF picture of a page.

Each page becomes a greyscale image (a PDF page is rendered at :data:`DPI` by PDFium, through
pypdfium2; a picture is decoded by Pillow) and is read by :mod:`ocr`. The caps come first: pages
(``ocr_pages``) before any page is rendered or decoded, pixels per page (``image_pixels``) before
a picture is decoded (a PDF page is scaled down to fit instead), and OCR time (``ocr_seconds``) as
the pages are read.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any

from services.ingest.parsing.caps import Caps, check
from services.ingest.parsing.errors import (
    CorruptFileError,
    DocumentOverCap,
    EmptyDocumentError,
    ParseError,
)
from services.ingest.parsing.ocr import OcrClock, ScanText, recognise

DPI = 200  # what the scan-like corpus is rendered at; Tesseract reads 10-12 pt text well from it
MIN_CHARS_PER_PAGE = 20  # a PDF with fewer non-space characters than this per page is a scan
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/tiff": "tiff"}
IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}
IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"),
               (b"MM\x00*", "tiff"))


def is_scan(page_texts: list[str]) -> bool:
    """A PDF whose text layer is (nearly) empty: scanned pages, perhaps with a stamp's text."""
    chars = sum(len("".join(text.split())) for text in page_texts)
    return chars < MIN_CHARS_PER_PAGE * max(1, len(page_texts))


def read_pdf_scan(data: bytes, caps: Caps) -> ScanText:
    """OCR every page of a scanned PDF."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"could not read PDF: {exc}") from exc
    try:
        check("ocr_pages", caps.ocr_pages, len(document), "trang quét cần nhận dạng chữ (OCR)")
        return _read_pages(_rendered(document, caps), caps)
    finally:
        document.close()


def read_picture(data: bytes, caps: Caps) -> ScanText:
    """OCR a PNG, JPEG or TIFF (every frame of a multi-page TIFF)."""
    from PIL import Image, UnidentifiedImageError

    try:
        picture = Image.open(io.BytesIO(data))
        frames = int(getattr(picture, "n_frames", 1))
    except Image.DecompressionBombError as exc:
        raise DocumentOverCap("image_pixels", caps.image_pixels, "điểm ảnh một trang") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise CorruptFileError(f"could not read the image: {exc}") from exc
    check("ocr_pages", caps.ocr_pages, frames, "trang quét cần nhận dạng chữ (OCR)")
    return _read_pages(_frames(picture, frames, caps), caps)


def picture_kind(data: bytes, filename: str | None, content_type: str | None) -> str | None:
    """``"png"``, ``"jpeg"`` or ``"tiff"`` by content type, file name or leading bytes; else None."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in IMAGE_TYPES:
        return IMAGE_TYPES[mime]
    if mime and mime != "application/octet-stream":  # a stated type other than a picture wins
        return None
    name = (filename or "").lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix in IMAGE_SUFFIXES:
        return IMAGE_SUFFIXES[suffix]
    if not suffix:
        return next((kind for magic, kind in IMAGE_MAGIC if data.startswith(magic)), None)
    return None


def _read_pages(pages: Iterator[Any], caps: Caps) -> ScanText:
    clock = OcrClock(caps)
    scan = ScanText()
    for image in pages:
        scan.add_page(recognise(image, clock))
    if not scan.text.strip():
        raise EmptyDocumentError("no text found on the scanned pages (OCR)")
    return scan


def _rendered(document: Any, caps: Caps) -> Iterator[Any]:
    for index in range(len(document)):
        page = document[index]
        try:
            width, height = page.get_size()
            scale = DPI / 72
            pixels = width * height * scale * scale
            if pixels > caps.image_pixels:  # an oversized page: fewer dots per inch, same page
                scale *= math.sqrt(caps.image_pixels / pixels)
            bitmap = page.render(scale=scale, grayscale=True)
            yield bitmap.to_pil()
        except ParseError:
            raise
        except Exception as exc:  # PDFium's errors on damaged pages
            raise CorruptFileError(f"could not render PDF page {index + 1}: {exc}") from exc
        finally:
            page.close()


def _frames(picture: Any, frames: int, caps: Caps) -> Iterator[Any]:
    for index in range(frames):
        try:
            picture.seek(index)
            width, height = picture.size
            check("image_pixels", caps.image_pixels, width * height, "điểm ảnh một trang")
            yield picture.convert("L")
        except ParseError:
            raise
        except (OSError, ValueError, EOFError) as exc:  # truncated or damaged pictures
            raise CorruptFileError(f"could not read the image: {exc}") from exc
