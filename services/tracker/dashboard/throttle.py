"""Login throttling: after N wrong logins from one address within a window, refuse for a while.

Pure (no I/O): the caller gives the time. The counts live in the memory of one tracker process, so
with R replicas behind a balancer an address gets at most R × N tries per window; a restart forgets
them. That bounds guessing of a leadership token (random, 128 bits and up) far below any use.
"""

from __future__ import annotations

import math
from collections import deque

MAX_ADDRESSES = 10_000
"""Addresses remembered at most; the least recently failing is forgotten first."""


class LoginThrottle:
    """Counts failed logins per client address over a sliding window."""

    def __init__(self, max_failures: int, window_s: float) -> None:
        self.max_failures, self.window_s = max_failures, window_s
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.get(address, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            self._failures.pop(address, None)
        return times

    def retry_after(self, address: str, now: float) -> int | None:
        """Seconds until this address may try again, or None if it may try now."""
        times = self._recent(address, now)
        if len(times) < self.max_failures:
            return None
        return max(1, math.ceil(times[-self.max_failures] + self.window_s - now))

    def failed(self, address: str, now: float) -> None:
        """Count one wrong login."""
        times = self._recent(address, now)
        self._failures.pop(address, None)  # re-insert: most recent last
        times.append(now)
        self._failures[address] = deque(list(times)[-self.max_failures:])
        if len(self._failures) > MAX_ADDRESSES:
            del self._failures[next(iter(self._failures))]

    def succeeded(self, address: str) -> None:
        """A right login clears the address's count."""
        self._failures.pop(address, None)
