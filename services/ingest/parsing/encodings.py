"""Plain-text bytes to text: which encoding a letter was saved in, and its text in NFC.

Read in this order:

1. a byte-order mark: UTF-8, UTF-16 LE or BE;
2. valid UTF-8 without a mark (ASCII is UTF-8);
3. UTF-16 without a mark (what Windows Notepad saves as "Unicode"): NUL bytes at every other
   place, and the text it gives reads as Vietnamese or plain ASCII;
4. the 8-bit encodings Windows-1258, TCVN3 (ABC) and VNI-Windows: every byte string decodes
   in each of them, so each candidate is scored (:mod:`encodings_score`) and the one with the
   most well-formed Vietnamese syllables wins, if it reads as Vietnamese at all.

Anything else raises :class:`UnsupportedEncodingError` naming the problem (and what
charset-normalizer takes it for). Text read in UTF-8 or UTF-16 is returned as written; an 8-bit
reading is NFC-normalised (Windows-1258 writes tones as combining marks). Pure functions on
bytes; no I/O.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from services.ingest.parsing.encodings_score import Score, score
from services.ingest.parsing.encodings_tables import decode_tcvn3, decode_vni
from services.ingest.parsing.errors import UnsupportedEncodingError

SUPPORTED = "UTF-8, UTF-16, Windows-1258, TCVN3 (ABC), VNI-Windows"
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
#: Share of NUL bytes at odd (LE) or even (BE) places above which bytes are taken for UTF-16.
_UTF16_NULS = 0.3


def _cp1258(data: bytes) -> str:
    return data.decode("cp1258", errors="replace")


#: The 8-bit candidates, in the order a tie is settled.
EIGHT_BIT: dict[str, Callable[[bytes], str]] = {
    "windows-1258": _cp1258, "tcvn3": decode_tcvn3, "vni": decode_vni,
}


@dataclass(frozen=True)
class Decoded:
    """A text file's text and the encoding it was read in (``utf-8``, ``utf-16-le``, ...)."""

    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """The text of plain-text ``data``; raises :class:`UnsupportedEncodingError`."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise _refusal(data, "it starts with a UTF-32 byte-order mark")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, len(bom), name), name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"byte {exc.start} is not valid UTF-8"
    else:
        if "\x00" not in text:
            return Decoded(text, "utf-8")
        utf8_error = "it holds NUL bytes"
    if b"\x00" in data:
        return _utf16_without_bom(data, utf8_error)
    return _eight_bit(data, utf8_error)


def candidates(data: bytes) -> dict[str, tuple[str, Score]]:
    """Each 8-bit reading of ``data``: its text (NFC) and its :class:`Score`."""
    out = {}
    for name, decoder in EIGHT_BIT.items():
        text = unicodedata.normalize("NFC", decoder(data))
        out[name] = (text, score(text))
    return out


def best(scored: dict[str, tuple[str, Score]]) -> str:
    """The name of the candidate with the highest score (the first listed on a tie)."""
    return max(scored, key=lambda name: scored[name][1].value)


def _strict(data: bytes, bom: int, name: str) -> str:
    try:
        return data[bom:].decode(name)
    except UnicodeDecodeError as exc:
        raise _refusal(data, f"it starts with a {name.upper()} byte-order mark but byte "
                             f"{exc.start + bom} is not valid {name.upper()}") from exc


def _utf16_without_bom(data: bytes, utf8_error: str) -> Decoded:
    odd, even = data[1::2], data[0::2]
    for name, nuls in (("utf-16-le", odd), ("utf-16-be", even)):
        if len(data) % 2 == 0 and nuls and nuls.count(0) / len(nuls) >= _UTF16_NULS:
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if score(text).vietnamese or _plain_ascii(text):
                return Decoded(text, name)
    raise _refusal(data, f"{utf8_error}, and its NUL bytes are not UTF-16 text")


def _plain_ascii(text: str) -> bool:
    return text.isascii() and all(ch.isprintable() or ch in "\t\n\r\f" for ch in text)


def _eight_bit(data: bytes, utf8_error: str) -> Decoded:
    scored = candidates(data)
    name = best(scored)
    text, found = scored[name]
    if not found.vietnamese:
        raise _refusal(data, f"{utf8_error}, and neither Windows-1258, TCVN3 nor VNI reads "
                             "as Vietnamese")
    return Decoded(text, name)


def _refusal(data: bytes, problem: str) -> UnsupportedEncodingError:
    guess = _guess(data)
    looks = f" (it looks like {guess})" if guess else ""
    return UnsupportedEncodingError(
        f"text is in no supported encoding ({SUPPORTED}): {problem}{looks}; "
        "re-save the file as UTF-8")


def _guess(data: bytes) -> str | None:
    """What charset-normalizer takes ``data`` for, if anything."""
    from charset_normalizer import from_bytes

    match = from_bytes(data[:65536]).best()
    return None if match is None else str(match.encoding)
