"""Requests for a later deadline (xin gia hạn): the ``extension_requests`` collection.

``extension_requests`` holds one document per request (``_id`` = the request's id, the id of its
``ExtensionRequested`` event), written only by the tracker's event consumer: inserted once when the
request is consumed, its decision set once when the decision is. The API and the pages read it.
What an approval changes on the assignment and its deadline check is written through
:class:`~services.tracker.repository.TrackerRepository`, the assignments' one writer.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.tracker.extensions import AssignmentExtensions, ExtensionRequest, RequestStatus

Doc = dict[str, Any]


class ExtensionRepository:
    """Reads and writes requests for a later deadline."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.requests = db["extension_requests"]
        self.assignments = db["assignments"]  # read only: the count of extensions so far

    async def create_indexes(self) -> None:
        """Create the indexes the queries rely on (idempotent)."""
        await self.requests.create_index([("status", ASCENDING), ("requested_at", ASCENDING)])
        await self.requests.create_index([("assignment_id", ASCENDING), ("status", ASCENDING)])

    async def add(self, request: ExtensionRequest) -> bool:
        """Store a new request; False when it was stored already (a redelivery)."""
        try:
            await self.requests.insert_one(request.as_doc())
        except DuplicateKeyError:
            return False
        return True

    async def request(self, request_id: str) -> ExtensionRequest | None:
        """One request, or None."""
        doc = await self.requests.find_one({"_id": request_id})
        return None if doc is None else ExtensionRequest.from_doc(doc)

    async def listed(self, *, status: RequestStatus | None = None, unit_code: str | None = None,
                     dispatch_id: str | None = None, limit: int = 500) -> list[ExtensionRequest]:
        """Requests, oldest first when pending (the longest waiting on top), else newest first."""
        query: Doc = {}
        if status is not None:
            query["status"] = status.value
        if unit_code is not None:
            query["unit_code"] = unit_code
        if dispatch_id is not None:
            query["dispatch_id"] = dispatch_id
        order = ASCENDING if status is RequestStatus.PENDING else DESCENDING
        cursor = self.requests.find(query).sort("requested_at", order).limit(limit)
        return [ExtensionRequest.from_doc(doc) async for doc in cursor]

    async def count_pending(self) -> int:
        """Requests not decided yet (indexed by status)."""
        return await self.requests.count_documents({"status": RequestStatus.PENDING.value})

    async def decide(self, request_id: str, fields: Doc) -> None:
        """Record the decision (or lapse) of one request."""
        await self.requests.update_one({"_id": request_id}, {"$set": fields})

    async def so_far(self, assignment_id: str) -> AssignmentExtensions:
        """One assignment's extensions so far, and its pending request if any."""
        assignment = await self.assignments.find_one(
            {"_id": assignment_id}, {"extensions": 1, "original_due_at": 1, "last_extension_id": 1})
        pending = await self.requests.find_one(
            {"assignment_id": assignment_id, "status": RequestStatus.PENDING.value}, {"_id": 1})
        assignment = assignment or {}
        return AssignmentExtensions(
            extended=int(assignment.get("extensions") or 0),
            pending=None if pending is None else str(pending["_id"]),
            original_due_at=assignment.get("original_due_at"),
            last_extension_id=assignment.get("last_extension_id"))
