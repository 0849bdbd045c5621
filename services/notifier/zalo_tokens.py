"""The Zalo OA access token, kept alive: renewed before it expires, or at once when Zalo refuses it.

The pair (access token, next refresh token) lives in the notifier's store, so a restart or another
replica continues the chain. A refresh token serves once, so only one notifier may spend it: it first
takes a short lease on that token (a unique insert in the store); the others wait for the new pair
to appear. See :mod:`services.notifier.channels.zalo_oauth` for the request itself.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import httpx

from services.notifier.channels.base import TemporaryDeliveryError
from services.notifier.channels.zalo import post_to_zalo
from services.notifier.channels.zalo_oauth import (
    TokenPair,
    ZaloAppConfig,
    due_for_renewal,
    read_refresh_answer,
    refresh_request,
    token_digest,
)
from shared.logging import get_logger

log = get_logger(__name__)

LEASE = timedelta(seconds=30)
"""How long a notifier holds the right to spend the refresh token (longer than one request)."""


@dataclass(frozen=True)
class StoredPair:
    """The pair as stored: ``access_token`` empty until the first renewal."""

    access_token: str
    refresh_token: str
    expires_at: datetime | None


class ZaloTokenStore(Protocol):
    """Where the pair is kept (the notifier's repository)."""

    async def seed_zalo_pair(self, digest: str, refresh_token: str) -> None:
        """Start the chain from ``refresh_token`` unless it was started from the same one."""

    async def zalo_pair(self) -> StoredPair | None:
        """The current pair."""

    async def lease_zalo_refresh(self, refresh_token: str, owner: str, now: datetime,
                                 until: datetime) -> bool:
        """Take the right to spend ``refresh_token`` until ``until``: False if it is no longer the
        stored one or another owner holds an unexpired lease."""

    async def save_zalo_pair(self, spent_refresh_token: str, pair: TokenPair) -> None:
        """Store ``pair`` in place of the one whose refresh token was just spent."""


class ZaloTokens:
    """Gives the Zalo channel an access token that Zalo accepts."""

    def __init__(self, app: ZaloAppConfig, store: ZaloTokenStore, now: Callable[[], datetime],
                 client: httpx.AsyncClient | None = None, wait_s: float = 0.25,
                 waits: int = 120) -> None:
        self.app, self.store, self.now, self._client = app, store, now, client
        self.owner = uuid.uuid4().hex
        self._seeded = False
        self._lock = asyncio.Lock()
        self.wait_s, self.waits = wait_s, waits

    async def access_token(self) -> str:
        """The stored access token, renewed first if it expires within the margin."""
        pair = await self._pair()
        margin = timedelta(seconds=self.app.refresh_margin_s)
        if not due_for_renewal(pair.access_token, pair.expires_at, self.now(), margin):
            return pair.access_token
        return await self._renew(pair)

    async def after_refusal(self, refused: str) -> str:
        """A token to try again with after Zalo refused ``refused``: a newer one if another notifier
        renewed meanwhile, else a renewed one."""
        pair = await self._pair()
        if pair.access_token and pair.access_token != refused:
            return pair.access_token
        return await self._renew(pair)

    async def _pair(self) -> StoredPair:
        if not self._seeded:
            seed = self.app.refresh_token.get_secret_value()
            await self.store.seed_zalo_pair(token_digest(seed), seed)
            self._seeded = True
        pair = await self.store.zalo_pair()
        if pair is None:
            raise TemporaryDeliveryError("no Zalo OA token stored yet")
        return pair

    async def _renew(self, pair: StoredPair) -> str:
        async with self._lock:  # one renewal per process; the lease orders the processes
            newer = _newer_access(await self.store.zalo_pair(), pair)
            if newer is not None:
                return newer  # renewed by someone else meanwhile
            now = self.now()
            if await self.store.lease_zalo_refresh(pair.refresh_token, self.owner, now, now + LEASE):
                return await self._spend(pair.refresh_token)
            return await self._wait_for_newer(pair)

    async def _spend(self, refresh_token: str) -> str:
        response = await post_to_zalo(refresh_request(self.app, refresh_token), self._client,
                                      self.app.timeout_s, "Zalo OAuth")
        pair = read_refresh_answer(response.status_code, response.content, self.now())
        try:
            await self.store.save_zalo_pair(refresh_token, pair)
        except Exception:
            log.error("zalo token renewed but not stored: authorise the app again if the notifier "
                      "restarts before the next renewal")
            raise
        log.info("zalo token renewed", expires_at=pair.expires_at.isoformat())
        return pair.access_token

    async def _wait_for_newer(self, pair: StoredPair) -> str:
        for _ in range(self.waits):
            await asyncio.sleep(self.wait_s)
            newer = _newer_access(await self.store.zalo_pair(), pair)
            if newer is not None:
                return newer
        raise TemporaryDeliveryError("another notifier is renewing the Zalo OA token")


def _newer_access(current: StoredPair | None, spent: StoredPair) -> str | None:
    """The access token of a pair renewed after ``spent`` (its refresh token differs), if any."""
    if current is not None and current.refresh_token != spent.refresh_token and current.access_token:
        return current.access_token
    return None
