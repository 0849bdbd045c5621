"""Loading the deadline timers of partitions a replica takes over (``DeadlineDetector``).

From the timer pages once they are complete (``services.tracker.timer_pages``: about a hundred
checks a row, so 1,000,000 open assignments are some 10,000 rows), else by scanning
``deadline_checks`` (a row per check). Either way closed rounds are skipped, and each check's timer
is its first signal not known to have reached Kafka.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

from services.tracker import timer_pages
from services.tracker.records import CheckRecord
from services.tracker.signals import round_id
from services.tracker.timers import DeadlineTimers, Ownership
from shared.logging import get_logger

if TYPE_CHECKING:
    from services.tracker.repository import TrackerRepository

log = get_logger(__name__)
COMPACT_EVERY_S = 600.0
T = TypeVar("T")


async def load_timers(repo: TrackerRepository, timers: DeadlineTimers, gained: Ownership) -> int:
    """Push the timers of the ``gained`` partitions' open checks; return how many were pushed."""
    receipts, closed, paged = await asyncio.gather(repo.receipt_ids(), repo.closed_rounds(),
                                                   repo.pages_complete())
    loaded = 0
    if paged:
        receipted = timer_pages.receipted_by_round(receipts)
        touched = _touched(closed, receipted)
        async for page in prefetched(repo.page_docs()):
            found = _page_timers(page, gained, closed, receipted, touched)
            timers.push_many(found)
            loaded += len(found)
        return loaded
    async for record in repo.load_checks(closed):
        if gained.owns(record.key_hash):
            first = first_unreceipted(record, receipts)
            if first is not None:
                timers.push(record.id, first, record.key_hash)
                loaded += 1
    return loaded


def _touched(closed: set[str], receipted: dict[str, set[str]]) -> set[str]:
    """Every assignment id that may have a closed round or a signalled one (a superset: an id
    ending in ``:r<digits>`` is taken both as it is and without that)."""
    rounds = closed | set(receipted)
    return rounds | {r.rsplit(":r", 1)[0] for r in rounds}


def _page_timers(page: dict[str, Any], gained: Ownership, closed: set[str],
                 receipted: dict[str, set[str]], touched: set[str]) -> list[tuple[str, float, int]]:
    """The timers of one page's checks on the ``gained`` partitions: each check's earliest
    instant, unless its round is closed (none) or partly signalled (its first pending one)."""
    cols = timer_pages.columns(page)
    count, mine = gained.partition_count, gained.partitions
    found: list[tuple[str, float, int]] = []
    rows: list[list[float]] | None = None
    for n, check_id in enumerate(cols.ids):
        hashed = cols.hashes[n]
        if hashed % count not in mine:
            continue
        when: float | None = cols.first[n]
        if check_id in touched:
            round_ = cols.rounds[n]
            if f"{check_id}:r{round_}" in closed:
                continue
            done = receipted.get(round_id(check_id, round_))
            if done:
                rows = rows if rows is not None else [r for *_, r in timer_pages.rows(page)]
                when = timer_pages.first_pending(rows[n], done)
        if when is not None and when == when:  # NaN: the round has no signal
            found.append((check_id, when, hashed))
    return found


async def prefetched(docs: AsyncIterator[T], depth: int = 400) -> AsyncIterator[T]:
    """``docs``, read ahead by a task: while the caller decodes one batch of pages, the next is
    on its way from the database (FerretDB works on one core while Python decodes on the other)."""
    queue: asyncio.Queue[tuple[T] | None] = asyncio.Queue(depth)
    failed: list[BaseException] = []

    async def read() -> None:
        try:
            async for doc in docs:
                await queue.put((doc,))
        except Exception as exc:  # handed to the caller below
            failed.append(exc)
        await queue.put(None)

    reader = asyncio.create_task(read())
    try:
        while (item := await queue.get()) is not None:
            yield item[0]
        if failed:
            raise failed[0]
    finally:
        reader.cancel()


def first_unreceipted(check: CheckRecord, receipts: set[str]) -> float | None:
    """The earliest instant (POSIX) of a signal of ``check``'s round not known to have reached
    Kafka."""
    pending = [at.timestamp() for signal, at in check.schedule.items()
               if check.claim_id(signal) not in receipts]
    return min(pending) if pending else None


async def maintain_pages(repo: TrackerRepository, every_s: float = COMPACT_EVERY_S) -> None:
    """Once per store, copy the checks written before timer pages existed (so that later loads
    read pages); then, every ``every_s``, fold small pages into full ones. Failures are retried
    (meanwhile a load scans the checks, as before)."""
    while True:
        try:
            if not await repo.pages_complete():
                copied = await repo.copy_checks_to_pages()
                log.info("deadline checks copied to timer pages", copied=copied)
            folded = await repo.compact_pages(await repo.closed_rounds())
            if folded:
                log.info("small timer pages folded", pages=folded)
        except Exception:  # the store may be down: retried at the next round
            log.exception("timer pages upkeep failed, will retry")
        await asyncio.sleep(every_s)
