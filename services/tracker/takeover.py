"""Loading the deadline timers of partitions a replica takes over (``DeadlineDetector``).

From the timer pages once they are complete (``services.tracker.timer_pages``: about a hundred
checks a row, so 1,000,000 open assignments are some 10,000 rows), else by scanning
``deadline_checks`` (a row per check). Either way closed rounds are skipped, and each check's timer
is its first signal not known to have reached Kafka.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from services.tracker import timer_pages
from services.tracker.records import CheckRecord
from services.tracker.signals import round_id
from services.tracker.timers import DeadlineTimers, Ownership
from shared.logging import get_logger

if TYPE_CHECKING:
    from services.tracker.repository import TrackerRepository

log = get_logger(__name__)
COMPACT_EVERY_S = 600.0


async def load_timers(repo: TrackerRepository, timers: DeadlineTimers, gained: Ownership) -> int:
    """Push the timers of the ``gained`` partitions' open checks; return how many were pushed."""
    receipts, closed, paged = await asyncio.gather(repo.receipt_ids(), repo.closed_rounds(),
                                                   repo.pages_complete())
    loaded = 0
    if paged:
        receipted = timer_pages.receipted_by_round(receipts)
        count, mine = gained.partition_count, gained.partitions
        async for page in repo.page_docs():
            for check_id, round_, hashed, row in timer_pages.rows(page):
                if hashed % count not in mine:
                    continue
                done = None
                if closed or receipted:  # only then are the round's ids needed
                    if f"{check_id}:r{round_}" in closed:
                        continue
                    done = receipted.get(round_id(check_id, round_))
                when = timer_pages.first_pending(row, done)
                if when is not None:
                    timers.push(check_id, when, hashed)
                    loaded += 1
        return loaded
    async for record in repo.load_checks(closed):
        if gained.owns(record.key_hash):
            first = first_unreceipted(record, receipts)
            if first is not None:
                timers.push(record.id, first, record.key_hash)
                loaded += 1
    return loaded


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
