"""Hostile scans in the bounded extraction worker: each is refused with the cap it breaks, before
any page is decoded or recognised, and the worker goes on reading."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from services.ingest.extraction import Extractor, WorkerLimits
from services.ingest.parsing.errors import DocumentOverCap


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (len(body).to_bytes(4, "big") + kind + body
                + zlib.crc32(kind + body).to_bytes(4, "big"))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _tiff_of(frames: int) -> bytes:
    page = Image.new("1", (64, 64), 1)
    out = io.BytesIO()
    page.save(out, format="TIFF", save_all=True, append_images=[page] * (frames - 1))
    return out.getvalue()


@pytest.mark.parametrize(("data", "name", "cap"), [
    (_png_declaring(100_000, 100_000), "bomb.png", "image_pixels"),
    (_png_declaring(20_000, 20_000), "big.png", "image_pixels"),
    (_tiff_of(200), "many.tiff", "ocr_pages"),
], ids=["png-bomb", "png-over-pixels", "tiff-200-pages"])
async def test_a_hostile_scan_is_refused_naming_its_cap(data: bytes, name: str, cap: str) -> None:
    extractor = Extractor(WorkerLimits(workers=1))
    try:
        with pytest.raises(DocumentOverCap) as caught:
            await extractor.read(data, name, None)
        assert caught.value.cap == cap and cap in str(caught.value)
        reading = await extractor.read("Kính gửi: Sở Tài chính.".encode(), "cv.txt", None)
        assert reading.text is not None
    finally:
        await extractor.close()
