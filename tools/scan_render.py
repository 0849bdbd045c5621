"""A letter's text rendered as pages that look scanned: for ``vanthu eval-parse --scanned``, the OCR
bench and the OCR tests.

A4 at 200 dpi, 11 pt DejaVu Serif (Debian's ``fonts-dejavu-core``, which has every Vietnamese
letter), each line as the text has it and long lines wrapped at the margin; then what a office
scanner adds: a slight rotation (under a degree), a little blur and speckles. Deterministic for a
given ``seed``.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 200
A4_INCHES = (8.27, 11.69)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
POINTS = 11
MARGIN_INCHES = 0.8
SPECKLES_PER_PAGE = 3000


def render_pages(text: str, seed: int = 0) -> list[Image.Image]:
    """``text`` as greyscale page images that look scanned."""
    font = ImageFont.truetype(str(FONT), round(POINTS / 72 * DPI))
    width, height = round(A4_INCHES[0] * DPI), round(A4_INCHES[1] * DPI)
    margin = round(MARGIN_INCHES * DPI)
    lines = [part for line in text.splitlines() for part in _wrapped(line, font, width - 2 * margin)]
    step = round(font.size * 1.35)
    per_page = (height - 2 * margin) // step
    chance = random.Random(seed)
    pages = []
    for first in range(0, max(len(lines), 1), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for index, line in enumerate(lines[first:first + per_page]):
            draw.text((margin, margin + index * step), line, font=font, fill=20)
        pages.append(_scanned(page, chance))
    return pages


def scanned_pdf(text: str, seed: int = 0) -> bytes:
    """``text`` as an image-only PDF (no text layer), as a scanner makes it."""
    pages = render_pages(text, seed)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return out.getvalue()


def scanned_png(text: str, seed: int = 0) -> bytes:
    """The first page of ``text`` as a PNG photo or scan of the page."""
    out = io.BytesIO()
    render_pages(text, seed)[0].save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def _wrapped(line: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    out: list[str] = []
    current = ""
    for word in line.rstrip().split(" "):
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    return [*out, current]


def _scanned(page: Image.Image, chance: random.Random) -> Image.Image:
    page = page.rotate(chance.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.7))
    pixels = page.load()
    assert pixels is not None
    for _ in range(SPECKLES_PER_PAGE):
        pixels[chance.randrange(page.width), chance.randrange(page.height)] = chance.choice((0, 90, 255))
    return page
