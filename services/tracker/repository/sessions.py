"""Signed-in browsers kept in one collection: the store behind
:class:`~services.tracker.dashboard.sessions.Sessions` (its ``SessionStore``).

The dashboard's sessions live in ``dashboard_sessions`` (:class:`~services.tracker.repository.
TrackerRepository`), the desk's in ``desk_sessions`` (:class:`~services.tracker.repository.people.
PeopleRepository`), so a desk session can never open the leadership dashboard. Only a hash of each
session id is stored (``_id``), with its leader or login, CSRF token and expiry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection


class SessionCollection:
    """The session store on ``self.sessions`` (a part of the repositories that keep sessions)."""

    sessions: AsyncCollection[dict[str, Any]]

    async def create_session(self, session: dict[str, Any]) -> None:
        """Store a new session (``_id`` = hash of its id)."""
        await self.sessions.insert_one(session)

    async def session(self, id_hash: str) -> dict[str, Any] | None:
        """The session stored under this hash of its id, or None."""
        return await self.sessions.find_one({"_id": id_hash})

    async def delete_session(self, id_hash: str) -> None:
        """Revoke a session (logout, or found expired)."""
        await self.sessions.delete_one({"_id": id_hash})

    async def delete_expired_sessions(self, now: datetime) -> None:
        """Forget sessions past their expiry (a scan: only at sign-in)."""
        await self.sessions.delete_many({"expires_at": {"$lte": now}})
