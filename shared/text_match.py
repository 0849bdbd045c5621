"""Matching Vietnamese words and phrases with and without diacritics (dấu), on word boundaries.

A phrase written *without* diacritics ("dien luc") matches text with or without them ("điện lực",
"Dien luc"). A phrase written *with* diacritics ("dầu") matches the same letters with the same marks,
or text typed without any marks ("dau"), but never a different marked word ("đầu"): Vietnamese has
too many words that differ only by their marks for a blind fold.

Text is split once into word tokens (:class:`TextView`) and each phrase is a tuple of tokens. The
phrases of a whole rule set are found in one pass (:class:`PhraseIndex`), so hundreds of rules
cost a set lookup each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

_WORD = re.compile(r"\w+")
_NO_MATCH = "\x00"


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    base = unicodedata.normalize("NFD", c)[0]
    return base if base.isascii() else c


_FOLD_TABLE = {cp: _fold_char(chr(cp)) for cp in range(0xC0, 0x1F00)}


def normalise(text: str) -> str:
    """NFC, with runs of whitespace collapsed to one space and the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics, keeping the length ("Điện Lực" -> "dien luc")."""
    return text.translate(_FOLD_TABLE).lower()


def words(text: str) -> list[str]:
    """The word tokens (``\\w+``) of ``text``; faster than one regex scan on Vietnamese text."""
    out: list[str] = []
    for token in text.split():
        if token.isalnum():
            out.append(token)
        else:
            out += _WORD.findall(token)
    return out


def shorten(text: str, limit: int = 160) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…" when cut."""
    text = normalise(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def key(text: str) -> str:
    """A comparison key: normalised, folded, punctuation dropped ("Văn phòng  Sở." -> "van phong so")."""
    return " ".join(_WORD.findall(fold(normalise(text))))


Key = tuple[str, tuple[str, ...]]
"""A way a phrase can occur: (view, tokens), the view being "exact", "folded" or "unmarked"."""


def fold_word(word: str) -> str:
    """:func:`fold` of one word, memoised: Vietnamese has a few thousand syllables."""
    folded = _FOLDED_WORDS.get(word)
    if folded is None:
        if len(_FOLDED_WORDS) > 200_000:
            _FOLDED_WORDS.clear()
        folded = _FOLDED_WORDS[word] = fold(word)
    return folded


_FOLDED_WORDS: dict[str, str] = {}


@dataclass(frozen=True)
class Phrase:
    """A keyword or phrase as written in a configuration file, ready to match."""

    text: str
    keys: tuple[Key, ...]
    """Marked phrase: the exact tokens, or folded ones in unmarked text. Unmarked: folded tokens."""

    @classmethod
    def of(cls, text: str) -> Phrase:
        """Prepare ``text``: its tokens lower-cased, as written and folded."""
        lowered = normalise(text).lower()
        tokens = tuple(_WORD.findall(lowered))
        folded = tuple(_WORD.findall(fold(lowered)))
        if not tokens:
            return cls(text, ())
        if folded != tokens:
            return cls(text, (("exact", tokens), ("unmarked", folded)))
        return cls(text, (("folded", folded),))


@dataclass(frozen=True)
class PhraseIndex:
    """Many phrases prepared to be found in one pass (:meth:`TextView.present`).

    Per view: the set of first tokens, and the wanted token tuples by length.
    """

    by_view: tuple[tuple[str, frozenset[str], tuple[tuple[int, frozenset[tuple[str, ...]]], ...]], ...]

    @classmethod
    def of(cls, phrases: Iterable[Phrase]) -> PhraseIndex:
        """Index every key of ``phrases``."""
        grouped: dict[str, dict[int, set[tuple[str, ...]]]] = {}
        for phrase in phrases:
            for view, tokens in phrase.keys:
                grouped.setdefault(view, {}).setdefault(len(tokens), set()).add(tokens)
        return cls(tuple(
            (view, frozenset(t[0] for ts in by_len.values() for t in ts),
             tuple((n, frozenset(ts)) for n, ts in sorted(by_len.items())))
            for view, by_len in sorted(grouped.items())
        ))


def _positions(seq: list[str], token: str) -> list[int]:
    """Every index of ``token`` in ``seq`` (``list.index`` scans in C)."""
    found: list[int] = []
    i = -1
    try:
        while True:
            i = seq.index(token, i + 1)
            found.append(i)
    except ValueError:
        return found


class TextView:
    """A text split into word tokens three ways: as written, folded, and folded-where-unmarked.

    A phrase matches where its tokens follow each other in the view its :attr:`Phrase.keys` name.
    """

    __slots__ = ("_exact", "_folded", "_unmarked")

    def __init__(self, exact: list[str], folded: list[str]) -> None:
        self._exact, self._folded = exact, folded
        self._unmarked: list[str] | None = None

    @classmethod
    def of(cls, *parts: str | None) -> TextView:
        """Tokenise ``parts``; a phrase never spans two parts."""
        exact: list[str] = []
        for part in parts:
            if part:
                exact += words(normalise(part).lower())
                exact.append(_NO_MATCH)
        cached = list(map(_FOLDED_WORDS.get, exact))  # memoised words, looked up in a C-level loop
        return cls(exact, [fold_word(w) for w in exact] if None in cached else cast(list[str], cached))

    def _view(self, name: str) -> list[str]:
        if name == "exact":
            return self._exact
        if name == "folded":
            return self._folded
        if self._unmarked is None:
            self._unmarked = [f if f == t else _NO_MATCH
                              for t, f in zip(self._exact, self._folded, strict=True)]
        return self._unmarked

    def _has(self, view: str, tokens: tuple[str, ...]) -> bool:
        seq, n, first = self._view(view), len(tokens), tokens[0]
        return any(seq[i] == first and tuple(seq[i:i + n]) == tokens for i in range(len(seq) - n + 1))

    def contains(self, phrase: Phrase) -> bool:
        """True when ``phrase`` occurs in the text on word boundaries (see module docstring)."""
        return any(self._has(view, tokens) for view, tokens in phrase.keys)

    def present(self, index: PhraseIndex) -> frozenset[Key]:
        """The keys of the indexed phrases that occur in the text, found in one pass per view."""
        found: list[Key] = []
        for view, firsts, by_len in index.by_view:
            seq = self._view(view)
            if firsts.isdisjoint(seq):
                continue
            starts = sorted(i for token in firsts.intersection(seq) for i in _positions(seq, token))
            for n, wanted in by_len:
                found += [(view, g) for i in starts if (g := tuple(seq[i:i + n])) in wanted]
        return frozenset(found)

    def first_match(self, phrases: Iterable[Phrase]) -> Phrase | None:
        """The first of ``phrases`` the text contains, or None."""
        return next((p for p in phrases if self.contains(p)), None)
