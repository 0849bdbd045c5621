"""Where claims and attempts are kept: the :class:`DeliveryLog` protocol and an in-memory one.

MongoDB (``repository.NotificationRepository``): ``claim`` = insert ``{_id: key}`` (False on
DuplicateKeyError); ``record_attempt`` = read the attempts and ``$set`` them with the status on that
document. Only unique inserts and plain updates: fine on FerretDB v1, no transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol

from services.notifier.failures import Step

Outcome = Literal["delivered", "retrying", "failed"]
"""Of one attempt: delivered; temporary failure to be retried; failed for good (→ dead letter)."""
OPEN_STATUSES = ("claimed", "retrying")
"""A record in one of these has no final outcome yet."""


class DeliveryLog(Protocol):
    """Claims, attempts and whether a failure was reported on Kafka."""

    async def claim(self, key: str) -> bool:
        """Take ``key``; True the first time only."""
        ...

    async def record_attempt(self, key: str, attempt: int, outcome: Outcome, error: str | None,
                             step: Step | None = None) -> None:
        """Record attempt number ``attempt`` (0: none was made) at delivering ``key``; a
        ``failed`` outcome also sets the record's step and reason, not yet reported."""
        ...

    async def mark_reported(self, keys: Sequence[str]) -> None:
        """The failure of ``keys`` is on the dead-letter and notification-failed topics."""
        ...


@dataclass(frozen=True)
class OpenRecord:
    """A record the stale-claim sweep looks at: no final outcome, or a failure not yet reported."""

    key: str
    status: str
    attempts: int
    touched_at: datetime
    step: Step | None = None
    reason: str | None = None


class SweepStore(Protocol):
    """What the stale-claim sweep reads and writes."""

    async def open_records(self, open_before: datetime, failed_before: datetime) -> list[OpenRecord]:
        """Records left open (claimed, retrying) untouched since ``open_before``, and failed ones
        not reported, untouched since ``failed_before``."""
        ...

    async def fail_stale(self, key: str, reason: str) -> bool:
        """Turn an open record into a failure (step 'claim'); False if it is no longer open."""
        ...


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt, as :class:`InMemoryDeliveryLog` keeps it."""

    key: str
    attempt: int
    outcome: Outcome
    error: str | None
    step: Step | None = None


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class InMemoryDeliveryLog:
    """A :class:`DeliveryLog` and :class:`SweepStore` in memory, for tests and local runs."""

    claimed: set[str] = field(default_factory=set)
    attempts: list[AttemptRecord] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)
    now: Callable[[], datetime] = _utcnow
    touched: dict[str, datetime] = field(default_factory=dict)

    async def claim(self, key: str) -> bool:
        """True the first time ``key`` is claimed."""
        if key in self.claimed:
            return False
        self.claimed.add(key)
        self.touched[key] = self.now()
        return True

    async def record_attempt(self, key: str, attempt: int, outcome: Outcome, error: str | None,
                             step: Step | None = None) -> None:
        """Append the attempt."""
        self.attempts.append(AttemptRecord(key, attempt, outcome, error, step))
        self.touched[key] = self.now()

    async def mark_reported(self, keys: Sequence[str]) -> None:
        """Remember that these keys' failure was reported."""
        self.reported.update(keys)

    def status(self, key: str) -> str | None:
        """The outcome of the last attempt at ``key`` ('claimed' if none, None if unclaimed)."""
        last = next((a.outcome for a in reversed(self.attempts) if a.key == key), None)
        return last or ("claimed" if key in self.claimed else None)

    def last(self, key: str) -> AttemptRecord | None:
        """The last attempt recorded for ``key``."""
        return next((a for a in reversed(self.attempts) if a.key == key), None)

    async def open_records(self, open_before: datetime, failed_before: datetime) -> list[OpenRecord]:
        """Open records untouched since ``open_before``, unreported failures since ``failed_before``."""
        found = []
        for key in sorted(self.claimed):
            status, last = self.status(key) or "claimed", self.last(key)
            unreported = status == "failed" and key not in self.reported
            before = open_before if status in OPEN_STATUSES else failed_before
            if (status in OPEN_STATUSES or unreported) and self.touched[key] < before:
                found.append(OpenRecord(key, status, sum(a.key == key and a.attempt > 0
                                                         for a in self.attempts),
                                        self.touched[key], last.step if last else None,
                                        last.error if last else None))
        return found

    async def fail_stale(self, key: str, reason: str) -> bool:
        """Record the failure if ``key`` is still open."""
        if (self.status(key) or "claimed") not in OPEN_STATUSES:
            return False
        await self.record_attempt(key, 0, "failed", reason, "claim")
        return True
