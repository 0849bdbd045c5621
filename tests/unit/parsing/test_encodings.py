"""Plain-text letters in every encoding they arrive in: each seed letter, written in that
encoding, reads back as the same NFC text and parses to the same fields; a file in none of
them is refused naming the problem; the score that picks among 8-bit readings."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from services.ingest.parsing import parse_text
from services.ingest.parsing.encodings import best, candidates, decode
from services.ingest.parsing.encodings_score import Score, score, syllable
from services.ingest.parsing.encodings_tables import (
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
)
from services.ingest.parsing.errors import UnsupportedEncodingError
from services.ingest.parsing.files import decode_text, extract

from .helpers import REPO_ROOT

SEEDS = sorted((REPO_ROOT / ".." / "shared" / "seeds").resolve().glob("*.txt"))
TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: a precomposed letter where the code page has one,
    else the letter without its tone followed by the combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in parts if c in TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


ENCODERS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8 with BOM": (lambda t: t.encode("utf-8-sig"), "utf-8"),
    "utf-16 with BOM (Notepad 'Unicode')": (lambda t: t.encode("utf-16"), "utf-16-le"),
    "utf-16-be with BOM": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be"),
    "utf-16-le without BOM": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "utf-16-be without BOM": (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    "windows-1258": (encode_cp1258, "windows-1258"),
    "tcvn3 (ABC)": (encode_tcvn3, "tcvn3"),
    "vni-windows": (encode_vni, "vni"),
}


def _seed(path: str) -> str:
    return unicodedata.normalize("NFC", Path(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", [str(p) for p in SEEDS], ids=[p.stem for p in SEEDS])
@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_a_seed_letter_in_each_encoding_reads_back_and_parses_the_same(
    encoding: str, seed: str
) -> None:
    original = _seed(seed)
    encoder, detected = ENCODERS[encoding]
    data = encoder(original)
    assert data != original.encode("utf-8") or encoding == "utf-8"
    text = decode_text(data)
    assert unicodedata.normalize("NFC", text) == original
    assert decode(data).encoding == detected
    assert parse_text(text).to_labels() == parse_text(original).to_labels()


def test_the_seeds_are_there() -> None:
    assert len(SEEDS) == 2


def test_the_detected_encoding_is_recorded_on_the_extraction() -> None:
    original = _seed(str(SEEDS[0]))
    extraction = extract(encode_vni(original), "cong-van.txt", "text/plain")
    assert extraction.encoding == "vni" and extraction.text == original
    assert extract(original.encode(), "cong-van.txt", None).encoding == "utf-8"


def test_tcvn3_capitalises_the_toned_vowels_of_a_word_in_capitals() -> None:
    # ABC has no capital toned vowels: "ỦY BAN" is typed with the small ủ's code.
    assert encode_tcvn3("ỦY BAN") == encode_tcvn3("ủY BAN") == b"\xf1Y BAN"
    text = "ỦY BAN NHÂN DÂN TỈNH\nSỞ CÔNG THƯƠNG\nSở Công Thương đề nghị\nSố: 12/SCT-VP"
    assert decode_tcvn3(encode_tcvn3(text)) == text


def test_tcvn3_cannot_tell_a_capital_toned_initial_in_running_text() -> None:
    # "Ủy ban" and "ủy ban" are the same ABC bytes; the reading keeps the small letter.
    assert decode_tcvn3(encode_tcvn3("các Ủy ban")) == "các ủy ban"


def test_tcvn3_and_vni_tables_cover_every_vietnamese_letter() -> None:
    letters = {unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy"
               for tone in ("", *TONES)} | {"đ"}
    for letter in letters | {x.upper() for x in letters}:
        assert decode_vni(encode_vni(letter)) == letter, letter
        assert decode_tcvn3(encode_tcvn3(letter)) == letter.lower() or letter.isupper(), letter


def test_vni_spells_marks_after_the_base_letter() -> None:
    assert encode_vni("Công văn số") == "Coâng vaên soá".encode("cp1252")
    assert decode_vni("Ñoàng Nai, ngaøy".encode("cp1252")) == "Đồng Nai, ngày"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("日本語の手紙です。よろしくお願いします。".encode("shift_jis"),
         "neither Windows-1258, TCVN3 nor VNI"),
        ("Это письмо на русском языке, пожалуйста.".encode("cp1251"), "reads as Vietnamese"),
        ("Kính gửi Sở Tài chính".encode("utf-32"), "UTF-32 byte-order mark"),
        (bytes(range(256)) * 4, "NUL bytes are not UTF-16 text"),
        (codecs.BOM_UTF8 + b"K\xedn", "UTF-8 byte-order mark but byte 4"),
    ],
    ids=["shift-jis", "cp1251", "utf-32", "binary", "broken-utf-8-bom"],
)
def test_a_file_in_no_supported_encoding_is_refused_naming_the_problem(
    data: bytes, problem: str
) -> None:
    with pytest.raises(UnsupportedEncodingError, match="no supported encoding") as caught:
        decode_text(data)
    assert problem in str(caught.value)
    assert "re-save the file as UTF-8" in str(caught.value)


def test_the_refusal_says_what_charset_normalizer_takes_the_file_for() -> None:
    with pytest.raises(UnsupportedEncodingError, match=r"looks like (cp1251|windows-1251)"):
        decode_text(("Это письмо на русском языке, пожалуйста. " * 5).encode("cp1251"))


@pytest.mark.parametrize("word", ["nghiêng", "quyết", "giữ", "Trường", "khuya", "ươu", "xoong",
                                  "thuở", "ĐỒNG", "hoạch", "nguyễn", "gì"])
def test_well_formed_syllables(word: str) -> None:
    assert syllable(word)


@pytest.mark.parametrize("word", ["ng", "UBND", "viêịt", "ăn̉", "lâ", "hoạchs",
                                  "cảt", "bàc", "Coâng", "¸", "mãp",
                                  "chÝnh", "ViỆt"])
def test_malformed_syllables(word: str) -> None:
    assert not syllable(word)


def test_score_counts_syllables_broken_words_and_strays() -> None:
    assert score("Kính gửi: Sở Tài chính") == Score(syllables=5, accented=5, broken=0, strays=0)
    # TCVN3 bytes read as Windows-1258: × ÷ µ are strays, "Së", "µi", "chÝnh" broken words
    assert score("K×nh g÷i: Së Tµi chÝnh") == Score(syllables=1, accented=0, broken=3, strays=3)
    assert score("Kính gửi UBND ©").strays == 1
    assert not score("plain ASCII only").vietnamese
    assert score("Kính gửi: Sở Tài chính").vietnamese


def test_the_candidate_with_most_vietnamese_wins_whatever_the_order() -> None:
    text = "Kính gửi: Sở Tài chính, Ủy ban nhân dân tỉnh về việc tổng kết công tác năm."
    for encoder, name in ((encode_tcvn3, "tcvn3"), (encode_vni, "vni"),
                          (encode_cp1258, "windows-1258")):
        scored = candidates(encoder(text))
        assert best(scored) == name
        assert best(dict(reversed(list(scored.items())))) == name
        assert all(not s.vietnamese for other, (_, s) in scored.items() if other != name)
