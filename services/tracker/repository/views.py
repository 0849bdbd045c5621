"""The tracker repository's reads of what the API and the dashboard show, as stored documents,
and the dashboard's sessions (a part of :class:`services.tracker.repository.TrackerRepository`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from services.tracker.ladder import CLOSED, Status
from services.tracker.records import CheckRecord
from services.tracker.repository.sessions import SessionCollection
from shared.blobs import BlobStore

Doc = dict[str, Any]
OPEN_STATUSES = [s.value for s in Status if s not in CLOSED]
HANDOFF_ACTIONS = ["decline", "transfer"]


class ShownQueries(SessionCollection):
    """Reads whose documents are shown as they are stored (JSON answers, dashboard pages), and the
    dashboard's sessions."""

    dispatches: AsyncCollection[Doc]
    decisions: AsyncCollection[Doc]
    assignments: AsyncCollection[Doc]
    timeline: AsyncCollection[Doc]
    checks: AsyncCollection[Doc]
    files: BlobStore

    async def original_file(self, blob_id: str) -> bytes | None:
        """The bytes of a file ingest stored (a scan, a PDF), or None if unknown or incomplete."""
        return await self.files.get(blob_id)

    # --- what the API and the dashboard show (stored documents, as they are shown) ---

    async def dispatch_view(self, dispatch_id: str) -> Doc | None:
        """A dispatch with its assignments and timeline, or None."""
        dispatch = await self.dispatches.find_one({"_id": dispatch_id})
        decision = await self.decisions.find_one({"_id": dispatch_id})
        if dispatch is None and decision is None:
            return None
        dispatch = {**(decision or {}), **(dispatch or {"_id": dispatch_id})}
        assignments = [a async for a in self.assignments.find({"dispatch_id": dispatch_id})]
        timeline = [
            t async for t in self.timeline.find({"dispatch_id": dispatch_id}).sort("occurred_at", 1)
        ]
        return {"dispatch": dispatch, "assignments": assignments, "timeline": timeline}

    async def assignments_list(self, *, unit_code: str | None = None,
                               dispatch_id: str | None = None, assigned_since: datetime | None = None,
                               open_only: bool = False, limit: int = 5000) -> list[Doc]:
        """Assignments, all or only those of one unit / dispatch, assigned since an instant, open."""
        query: Doc = {}
        if unit_code is not None:
            query["unit_code"] = unit_code
        if dispatch_id is not None:
            query["dispatch_id"] = dispatch_id
        if assigned_since is not None:
            query["assigned_at"] = {"$gte": assigned_since}
        if open_only:
            query["status"] = {"$in": OPEN_STATUSES}
        return [a async for a in self.assignments.find(query).limit(limit)]

    async def disputed_count(self) -> int:
        """Dispatches marked disputed."""
        return await self.dispatches.count_documents({"disputed": True})

    async def checks_of(self, dispatch_id: str) -> list[CheckRecord]:
        """The deadline checks of one dispatch's assignments."""
        return [CheckRecord.from_doc(c) async for c in self.checks.find(
            {"dispatch_id": dispatch_id}, {"dispatch_id": 1, "unit_code": 1, "schedule": 1,
                                           "round": 1})]

    async def applied_handoffs(self, limit: int) -> list[Doc]:
        """Declines and transfers the tracker applied (not refused), newest first (a scan)."""
        return await self._timeline_where({"event_type": "assignment.responded",
                                           "action": {"$in": HANDOFF_ACTIONS},
                                           "refused": {"$exists": False}}, limit)

    async def failed_notifications(self, limit: int) -> list[Doc]:
        """Timeline entries of notifications the notifier gave up on, newest first (a scan)."""
        return await self._timeline_where({"event_type": "notification.failed"}, limit)

    async def _timeline_where(self, query: Doc, limit: int) -> list[Doc]:
        return [t async for t in self.timeline.find(query).sort("occurred_at", -1).limit(limit)]
