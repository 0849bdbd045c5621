"""Dashboard sessions: random ids kept server-side with an expiry, revoked at logout.

The browser holds only the session id (``secrets.token_urlsafe``) in an HttpOnly cookie; the
tracker stores a SHA-256 of it as ``_id`` (a stolen database copy opens no session), the leader's
name, a CSRF token for the session's forms, and the expiry. The id is not a token of
:class:`~services.tracker.access.AccessControl`, so it never works as an API bearer token, and a
leadership token is never kept in a cookie. Expiry is on the wall clock, not the tracker's business
clock (which tests and the demo move forward by weeks).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol


class SessionStore(Protocol):
    """Where sessions are kept: the dashboard's in the tracker's repository, the desk's apart."""

    async def create_session(self, session: dict[str, Any]) -> None: ...
    async def session(self, id_hash: str) -> dict[str, Any] | None: ...
    async def delete_session(self, id_hash: str) -> None: ...
    async def delete_expired_sessions(self, now: datetime) -> None: ...


def id_hash(session_id: str) -> str:
    """What the store keeps of a session id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def new_secret() -> str:
    """A fresh random secret (session id or CSRF token)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Session:
    """A signed-in leader."""

    leader: str
    csrf: str
    expires_at: datetime


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class Sessions:
    """Creates, resolves and revokes sessions through the tracker's repository."""

    def __init__(self, repo: SessionStore, ttl_s: int,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._repo, self._ttl, self._now = repo, timedelta(seconds=ttl_s), now

    async def create(self, leader: str) -> tuple[str, Session]:
        """A new session for ``leader``: its id (for the cookie only) and the session."""
        session_id, now = new_secret(), self._now()
        session = Session(leader, new_secret(), now + self._ttl)
        await self._repo.delete_expired_sessions(now)
        await self._repo.create_session({"_id": id_hash(session_id), "leader": leader,
                                         "csrf": session.csrf, "created_at": now,
                                         "expires_at": session.expires_at})
        return session_id, session

    async def resolve(self, session_id: str | None) -> Session | None:
        """The live session behind a cookie value, or None (an expired one is deleted)."""
        if not session_id or len(session_id) > 200:
            return None
        doc = await self._repo.session(id_hash(session_id))
        if doc is None:
            return None
        if _aware(doc["expires_at"]) <= self._now():
            await self._repo.delete_session(doc["_id"])
            return None
        return Session(doc["leader"], doc["csrf"], _aware(doc["expires_at"]))

    async def revoke(self, session_id: str | None) -> None:
        """End a session (logout)."""
        if session_id and len(session_id) <= 200:
            await self._repo.delete_session(id_hash(session_id))
