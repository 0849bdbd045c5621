"""Timer pages: the deadline checks a batch created, packed into one small document. Pure: no I/O.

A replica that takes over partitions must load the timers of every open assignment. FerretDB v1
spends about 80 µs per document it scans, so reading one ``deadline_checks`` row per assignment
costs 80 s at 1,000,000. The event consumer therefore also writes, with each batch that creates
or reopens checks, one *page* holding those checks packed as arrays of numbers (ids joined in one
string): a hundred checks per row, which the loader decodes with ``array`` at C speed.

A page is an insert whose id is derived from what it holds, so a redelivered batch writes nothing
new; a batch redelivered with other boundaries writes a page that repeats some checks, which only
pushes the same timer twice. Pages are a copy: ``deadline_checks`` stays the truth the detector
reads by ``_id`` before it signals anything.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.tracker.records import CheckRecord
from services.tracker.signals import SIGNALS

SEPARATOR = "\x1f"
COMPLETE_ID = "~complete"
"""The marker page: every check written before the pages existed has been copied into pages."""


@dataclass(frozen=True)
class PagedCheck:
    """What the timers need of one round of a deadline check."""

    id: str
    round: int
    key_hash: int
    at: dict[str, float]
    """POSIX timestamp of each of the round's signals."""


def page_id(keys: Iterable[str]) -> str:
    """The id of the page written for a batch (``keys``: its event ids, or its check ids)."""
    return hashlib.sha1(SEPARATOR.join(sorted(keys)).encode()).hexdigest()


def encode(checks: Sequence[CheckRecord]) -> dict[str, Any]:
    """The page document (without ``_id``) of ``checks``."""
    return encode_paged([PagedCheck(c.id, c.round, c.key_hash,
                                    {s: t.timestamp() for s, t in c.schedule.items()})
                         for c in checks])


def encode_paged(checks: Sequence[PagedCheck]) -> dict[str, Any]:
    """The page document (without ``_id``) of ``checks`` as decoded from pages (a compaction)."""
    at = array("d", [math.nan] * (len(SIGNALS) * len(checks)))
    for n, check in enumerate(checks):
        for s, signal in enumerate(SIGNALS):
            when = check.at.get(signal)
            if when is not None:
                at[n * len(SIGNALS) + s] = when
    first = array("d", [min(check.at.values(), default=math.nan) for check in checks])
    return {"n": len(checks), "ids": SEPARATOR.join(c.id for c in checks),
            "rounds": array("q", [c.round for c in checks]).tobytes(),
            "hashes": array("q", [c.key_hash for c in checks]).tobytes(), "at": at.tobytes(),
            "first": first.tobytes()}


@dataclass(frozen=True)
class PageColumns:
    """A stored page's checks as columns, decoded at C speed: ``first[n]`` is the earliest
    instant of check ``n``'s round (NaN: none), what its timer is when nothing of the round has
    been signalled yet; the full rows are decoded only for the other checks (:func:`rows`)."""

    ids: list[str]
    rounds: array[int]
    hashes: array[int]
    first: list[float]


def columns(page: Mapping[str, Any]) -> PageColumns:
    """The columns of a stored page (pages written before ``first`` existed get it computed)."""
    if not page.get("n"):
        return PageColumns([], array("q"), array("q"), [])
    rounds, hashes = array("q"), array("q")
    rounds.frombytes(page["rounds"])
    hashes.frombytes(page["hashes"])
    ids = str(page["ids"]).split(SEPARATOR)
    if "first" in page:
        first = array("d")
        first.frombytes(page["first"])
        firsts = first.tolist()
    else:
        firsts = [math.nan if (at := first_pending(row)) is None else at
                  for _, _, _, row in rows(page)]
    return PageColumns(ids, rounds, hashes, firsts)


def rows(page: Mapping[str, Any]) -> Iterator[tuple[str, int, int, list[float]]]:
    """The checks of a stored page as (id, round, key hash, instants in ``SIGNALS`` order, NaN
    where the round has no such signal): the loader's fast path."""
    if not page.get("n"):
        return
    rounds, hashes, at = array("q"), array("q"), array("d")
    rounds.frombytes(page["rounds"])
    hashes.frombytes(page["hashes"])
    at.frombytes(page["at"])
    width, instants = len(SIGNALS), at.tolist()
    for n, check_id in enumerate(str(page["ids"]).split(SEPARATOR)):
        yield check_id, rounds[n], hashes[n], instants[n * width:(n + 1) * width]


def decode(page: Mapping[str, Any]) -> Iterator[PagedCheck]:
    """The checks of a stored page."""
    for check_id, round_, hashed, row in rows(page):
        yield PagedCheck(check_id, round_, hashed,
                         {s: t for s, t in zip(SIGNALS, row, strict=True) if not math.isnan(t)})


def first_pending(row: list[float], done: set[str] | None = None) -> float | None:
    """The earliest instant of ``row`` (as from :func:`rows`) whose signal is not in ``done``."""
    pending = [t for s, t in zip(SIGNALS, row, strict=True)
               if t == t and (done is None or s not in done)]  # t != t: NaN, no such signal
    return min(pending) if pending else None


def receipted_by_round(claim_ids: Iterable[str]) -> dict[str, set[str]]:
    """Receipt (claim) ids ``<round id>:<signal>`` grouped as {round id: signals}."""
    out: dict[str, set[str]] = {}
    for claim in claim_ids:
        for signal in SIGNALS:
            if claim.endswith(":" + signal):
                out.setdefault(claim[:-len(signal) - 1], set()).add(signal)
                break
    return out
