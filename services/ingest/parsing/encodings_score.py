"""How Vietnamese a decoded text reads: the score that picks among candidate decodings.

Bytes in a legacy encoding decode "fine" as Windows-1252 or Latin-1 and come out as garbage
("C«ng v¨n"), so an encoding is chosen by what its text looks like: the candidate with the most
well-formed Vietnamese syllables wins. A syllable is well-formed when it is an onset, a vowel
nucleus and a final that Vietnamese spelling allows, with at most one tone mark, and only the
sắc or nặng tone before a stop final (c, ch, p, t). Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx]"
#: Nuclei that end in a glide, and so take no final consonant.
_OPEN = ("iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyu ai ao au ay âu ây eo êu ia iu oi ôi "
         "ơi ui ưi ưu ua ưa uơ")
#: Nuclei that may take a final; the ``_CLOSED`` ones must.
_FREE = "oa oe uê uy oo ôô a e ê i o ô ơ u ư y"
_CLOSED = "uyê iê yê uô ươ oă uâ ă â"
_FINALS = "ch|ng|nh|[cmnpt]"
_STOPS = ("c", "ch", "p", "t")
_SYLLABLE = re.compile(
    rf"^(?P<onset>{_ONSETS})?(?:(?P<open>{'|'.join(_OPEN.split())})"
    rf"|(?P<free>{'|'.join(_FREE.split())})(?P<final1>{_FINALS})?"
    rf"|(?P<closed>{'|'.join(_CLOSED.split())})(?P<final2>{_FINALS}))$"
)
_WORD = re.compile(r"[^\W\d_]+")
#: A tone mark on a vowel (in NFD, after the vowel and any circumflex, breve or horn).
_toned_vowel = re.compile("[aeiouy][\u0302\u0306\u031b]?[\u0300\u0301\u0303\u0309\u0323]")
#: Non-ASCII characters a Vietnamese letter may hold besides its letters.
_TYPOGRAPHY = frozenset("\u00a0“”‘’–—…•°§№«»×")


def vietnamese_letter(ch: str) -> bool:
    """Whether ``ch`` (NFC, one character) is a letter of the Vietnamese alphabet, any case/tone."""
    base = "".join(c for c in unicodedata.normalize("NFD", ch.lower()) if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base) in _ALPHABET


_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzăâđêôơư")


@lru_cache(maxsize=8192)
def syllable(word: str) -> bool:
    """Whether ``word`` (letters only) is a well-formed Vietnamese syllable, written in small
    letters, in capitals, or with a capital initial."""
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) > 1 or (tones and not _toned_vowel.search(decomposed)):
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    match = _SYLLABLE.match(bare)
    if match is None:
        return False
    final = match.group("final1") or match.group("final2")
    return not (final in _STOPS and tones and TONE_MARKS[tones[0]] not in ("sắc", "nặng"))


@dataclass(frozen=True)
class Score:
    """What a decoded text holds: well-formed syllables (``accented`` of them with a mark),
    words with non-ASCII letters that are no syllable (``broken``), and stray characters."""

    syllables: int
    accented: int
    broken: int
    strays: int

    @property
    def value(self) -> int:
        """Higher reads more Vietnamese: syllables, less the broken words and strays."""
        return self.syllables - self.broken - self.strays

    @property
    def vietnamese(self) -> bool:
        """Whether the text reads as Vietnamese at all: accented syllables, and at most one
        broken word or stray character for every four of them."""
        return self.accented > 0 and 4 * (self.broken + self.strays) <= self.accented


def score(text: str) -> Score:
    """The :class:`Score` of ``text`` (any normal form)."""
    text = unicodedata.normalize("NFC", text)
    syllables = accented = broken = 0
    for match in _WORD.finditer(text):
        word = match.group()
        ascii_only = word.isascii()
        if syllable(word):
            syllables += 1
            accented += not ascii_only
        elif not ascii_only:
            broken += 1
    strays = sum(1 for ch in text if _stray(ch))
    return Score(syllables, accented, broken, strays)


def _stray(ch: str) -> bool:
    if ch.isascii():
        return not ch.isprintable() and ch not in "\t\n\r\f\v"
    if ch in _TYPOGRAPHY:
        return False
    if ch.isalpha():
        return not vietnamese_letter(ch)
    return True
