"""The tracker repository's timer pages (``services.tracker.timer_pages``): what a replica loads
when it takes over partitions (a part of :class:`services.tracker.repository.TrackerRepository`).

``timer_pages`` is written only by inserts: the event consumer's (one page per batch that creates
checks, one per reopened check) and the one-time copy of checks written before pages existed,
which ends with the marker page ``~complete``. Until the marker exists, a load scans
``deadline_checks`` as before. Small pages (a quiet hour writes one per dispatch) are folded into
full ones from time to time (:meth:`TimerPageStore.compact_pages`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from pymongo import DeleteOne, InsertOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from services.tracker import timer_pages
from services.tracker.records import CheckRecord
from shared.mongo import bulk_write_idempotent

Doc = dict[str, Any]
COPY_PAGE = 200
"""Checks per page of the one-time copy and of a compaction."""


class TimerPageStore:
    """Writes and reads timer pages."""

    checks: AsyncCollection[Doc]
    closures: AsyncCollection[Doc]
    pages: AsyncCollection[Doc]

    @staticmethod
    def page_op(keys: Sequence[str], checks: Sequence[CheckRecord]) -> InsertOne[Doc]:
        """The insert of the page of ``checks`` written for ``keys`` (a batch's event ids)."""
        return InsertOne({"_id": timer_pages.page_id(keys), **timer_pages.encode(checks)})

    async def add_page(self, keys: Sequence[str], checks: Sequence[CheckRecord]) -> None:
        """Write the page of ``checks`` (once: a repeat is ignored)."""
        await bulk_write_idempotent(self.pages, [self.page_op(keys, checks)])

    async def pages_complete(self) -> bool:
        """Whether every check is in a page (the one-time copy is done)."""
        return await self.pages.find_one({"_id": timer_pages.COMPLETE_ID}, {"_id": 1}) is not None

    async def paged_checks(self) -> AsyncIterator[timer_pages.PagedCheck]:
        """Every paged check (a scan of the pages: about a hundred checks a row)."""
        async for page in self.page_docs():
            for check in timer_pages.decode(page):
                yield check

    async def page_docs(self) -> AsyncIterator[Doc]:
        """Every stored page, to decode with ``timer_pages.rows`` (a scan of the pages)."""
        async for page in self.pages.find({}, batch_size=200):
            yield page

    async def closed_rounds(self) -> set[str]:
        """The ids of the closed rounds (``<assignment id>:r<round>``; a scan)."""
        return {d["_id"] async for d in self.closures.find({}, {"_id": 1})}

    async def copy_checks_to_pages(self) -> int:
        """Copy every stored check into pages, then write the marker; return how many (a scan of
        ``deadline_checks``: once per store; repeating it writes nothing new)."""
        copied, chunk, ops = 0, [], []
        fields = {"dispatch_id": 1, "schedule": 1, "round": 1, "key_hash": 1}
        async for doc in self.checks.find({}, fields, batch_size=5000):
            chunk.append(CheckRecord.from_doc(doc))
            if len(chunk) == COPY_PAGE:
                ops.append(self.page_op([f"copy:{c.id}:r{c.round}" for c in chunk], chunk))
                copied, chunk = copied + len(chunk), []
            if len(ops) == 10:
                await bulk_write_idempotent(self.pages, ops)
                ops = []
        if chunk:
            ops.append(self.page_op([f"copy:{c.id}:r{c.round}" for c in chunk], chunk))
            copied += len(chunk)
        await bulk_write_idempotent(self.pages, ops)
        with contextlib.suppress(DuplicateKeyError):
            await self.pages.insert_one({"_id": timer_pages.COMPLETE_ID, "n": 0, "copied": copied})
        return copied

    async def compact_pages(self, closed: set[str]) -> int:
        """Fold pages of fewer than ``COPY_PAGE`` checks into full pages, leaving out the checks of
        ``closed`` rounds; return how many pages were folded.

        Safe with several replicas at once: a page is deleted only after a page holding its open
        checks was written, so every open check always stays in some page (at worst twice)."""
        small = [p async for p in self.pages.find({"n": {"$gt": 0, "$lt": COPY_PAGE}})]
        if len(small) < 2:
            return 0
        kept = list({(c.id, c.round): c for p in small for c in timer_pages.decode(p)
                     if f"{c.id}:r{c.round}" not in closed}.values())  # once each
        full = [{"_id": timer_pages.page_id([f"fold:{c.id}:r{c.round}" for c in chunk]),
                 **timer_pages.encode_paged(chunk)}
                for chunk in (kept[lo:lo + COPY_PAGE] for lo in range(0, len(kept), COPY_PAGE))]
        await bulk_write_idempotent(self.pages, [InsertOne(p) for p in full])
        folded = {p["_id"] for p in small} - {p["_id"] for p in full}
        await bulk_write_idempotent(self.pages, [DeleteOne({"_id": i}) for i in folded])
        return len(folded)
