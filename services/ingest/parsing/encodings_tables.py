"""The legacy Vietnamese 8-bit encodings TCVN3 (ABC) and VNI-Windows, as data.

Sources:

- **TCVN3 (ABC)** is the 8-bit set of TCVN 5712:1993 ("VN3"). The bytes 0xA1–0xFF below are
  those of glibc's ``TCVN5712-1`` charmap (``iconv -f TCVN5712-1``), which is the full VN1 set;
  VN3 (what ABC fonts such as .VnTime use) keeps from it the lowercase toned letters and the
  14 letters ă â ê ô ơ ư đ Ă Â Ê Ô Ơ Ư Đ at the same places. VN1's uppercase toned letters and
  combining marks in that range are decoded too (a few tools wrote them), but never written.
  VN3 has no uppercase toned letters: .VnTimeH fonts draw the lowercase codes in capitals, and
  keyboards (Unikey, Vietkey) type the lowercase code for them, so "ỦY BAN" is stored as
  ``\\xf1Y BAN``. Bytes 0x80–0x9F are Windows-1252 punctuation (“ ” – …) as Word saves them.
  Cross-checked with vietunicode.sourceforge.net/charset and the tables of
  github.com/duydev/vietnamese-conversion (``src/charsets.ts``).
- **VNI-Windows** writes a toned letter as the ASCII base letter followed by one Windows-1252
  character for its marks (``a`` + ``ù`` = á, ``a`` + ``á`` = ấ), and a few letters as one
  character (``ñ`` = đ, ``ô`` = ơ, ``ö`` = ư, ``ò`` = ị, ``ó`` = ĩ, ``æ`` = ỉ, ``î`` = ỵ).
  From vietunicode.sourceforge.net/charset and github.com/duydev/vietnamese-conversion
  (``src/charsets.ts``, the ``VNI`` array), checked letter by letter against the rule above.
"""

from __future__ import annotations

import re
import unicodedata

from services.ingest.parsing.encodings_score import syllable

#: TCVN 5712 characters of bytes 0xA1..0xFF, sixteen to a row (0xB0–0xB4 are combining marks).
_TCVN_A1_FF = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300"  # 0xA1–0xB0
    "\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮ"  # 0xB1–0xC0
    "ẦẨẪẤỀặầẩẫấậèỂẻẽé"  # 0xC1–0xD0
    "ẹềểễếệìỉỄẾỒĩíịòỔ"  # 0xD1–0xE0
    "ỏõóọồổỗốộờởỡớợùỖ"  # 0xE1–0xF0
    "ủũúụừửữứựỳỷỹýỵỐ"  # 0xF1–0xFF
)

#: Byte → character for decoding TCVN3 text (ASCII below 0x80 is itself).
TCVN3_DECODE: dict[int, str] = {
    **{b: bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0xA0)},
    0xA0: "\u00a0",
    **{0xA1 + i: ch for i, ch in enumerate(_TCVN_A1_FF)},
}


def _vn3_slot(ch: str) -> bool:
    """Whether VN3 (ABC) itself has ``ch``: lowercase letters and the 14 base letters."""
    return not unicodedata.combining(ch) and (ch.islower() or ch in "ĂÂÊÔƠƯĐ")


#: Character → byte when writing TCVN3 (ABC): VN3 slots only; an uppercase toned letter takes
#: its lowercase code, as ABC keyboards type it.
TCVN3_ENCODE: dict[str, int] = {
    ch: b for b, ch in TCVN3_DECODE.items() if b >= 0xA1 and _vn3_slot(ch)
}
for _b, _ch in list(TCVN3_DECODE.items()):
    if _b >= 0xA1 and _ch.islower() and _ch.upper() not in TCVN3_ENCODE:
        TCVN3_ENCODE[_ch.upper()] = _b

#: The marks byte VNI writes after a lowercase base letter, by the marks it stands for
#: (uppercase letters take the uppercase form of the same Windows-1252 character).
_VNI_MARKS = {
    "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï",  # a, e, o, u, y
    "\u0302": "â", "\u0302\u0301": "á", "\u0302\u0300": "à", "\u0302\u0309": "å",
    "\u0302\u0303": "ã", "\u0302\u0323": "ä",  # â ê ô and their tones
    "\u0306": "ê", "\u0306\u0301": "é", "\u0306\u0300": "è", "\u0306\u0309": "ú",
    "\u0306\u0303": "ü", "\u0306\u0323": "ë",  # ă and its tones
}
#: Letters VNI writes as one Windows-1252 character (lowercase; uppercase is its upper()).
_VNI_SINGLE = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
               "ỵ": "î"}
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def _vni_pairs() -> dict[str, str]:
    """Every Vietnamese letter with marks → its VNI spelling (on Windows-1252 characters)."""
    pairs: dict[str, str] = {}
    for lower, vni in _VNI_SINGLE.items():
        pairs[lower], pairs[lower.upper()] = vni, vni.upper()
    for marks, code in _VNI_MARKS.items():
        bases = "a" if marks[0] == "\u0306" else "aeo" if marks[0] == "\u0302" else "aeouy"
        for base in bases:
            letter = unicodedata.normalize("NFC", base + marks)
            if letter not in pairs:
                pairs[letter], pairs[letter.upper()] = base + code, base.upper() + code.upper()
    for horn, vni in (("ơ", "ô"), ("ư", "ö")):  # ơ ư with a tone: the one-character base + tone
        for tone in _TONES:
            letter = unicodedata.normalize("NFC", horn + tone)
            pairs[letter] = vni + _VNI_MARKS[tone]
            pairs[letter.upper()] = vni.upper() + _VNI_MARKS[tone].upper()
    return pairs


#: Unicode letter → VNI-Windows spelling (as Windows-1252 characters).
VNI_ENCODE: dict[str, str] = _vni_pairs()
#: VNI-Windows spelling → Unicode letter; decode two-character spellings before one-character.
VNI_DECODE: dict[str, str] = {vni: letter for letter, vni in VNI_ENCODE.items()}


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes as NFC text; toned vowels in an all-capitals word are capitalised."""
    text = unicodedata.normalize("NFC", "".join(TCVN3_DECODE.get(b, chr(b)) for b in data))
    return "".join(_recase_line(line) for line in text.splitlines(keepends=True))


#: Lowercase letters whose capital VN3 lacks: a word in capitals stores them in lowercase.
_CASELESS = frozenset(ch for ch, b in TCVN3_ENCODE.items()
                      if ch.islower() and TCVN3_ENCODE[ch.upper()] == b)
_WORD = re.compile(r"[^\W\d_]+")


def _case_of(word: str) -> str:
    """``upper`` when two or more of its case-telling letters are all capitals, ``lower`` when
    one is small, else ``weak`` (too few letters that tell)."""
    telling = [ch for ch in word if ch not in _CASELESS]
    if any(ch.islower() for ch in telling):
        return "lower"
    return "upper" if len(telling) >= 2 else "weak"


def _recase_line(line: str) -> str:
    """Capitalise the caseless letters of the words of a line written in capitals: a word whose
    other letters are capitals, or a short one on a line of capitals with no small letters."""
    words = [m.group() for m in _WORD.finditer(line)]
    cases = [_case_of(word) for word in words]
    caps_line = "lower" not in cases and any(  # an abbreviation (UBND, SCT) says nothing
        case == "upper" and syllable(word) for word, case in zip(words, cases, strict=True))

    def recase(match: re.Match[str]) -> str:
        case = _case_of(match.group())
        return match.group().upper() if case == "upper" or (case == "weak" and caps_line) else match.group()

    return _WORD.sub(recase, line)


def encode_tcvn3(text: str) -> bytes:
    """``text`` in TCVN3 (ABC); raises ``UnicodeEncodeError`` for a character it lacks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        else:
            out += ch.encode("cp1252")
    return bytes(out)


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes as NFC text."""
    chars = data.decode("cp1252", errors="replace")
    out: list[str] = []
    i = 0
    while i < len(chars):
        pair = chars[i:i + 2]
        if len(pair) == 2 and pair in VNI_DECODE:
            out.append(VNI_DECODE[pair])
            i += 2
            continue
        out.append(VNI_DECODE.get(chars[i], chars[i]))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def encode_vni(text: str) -> bytes:
    """``text`` in VNI-Windows; raises ``UnicodeEncodeError`` for a character it lacks."""
    spelled = "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    return spelled.encode("cp1252")
