"""The stale-claim sweep: no delivery stays open, and no failure stays unreported, after a crash.

A notifier that dies between claiming a key and recording its outcome leaves the record ``claimed``
(or ``retrying``) for ever; one that dies before publishing a failure leaves it unreported. Every
``NOTIFIER_SWEEP_INTERVAL_S`` (and at start-up) :class:`ClaimSweeper` looks for records untouched for
a lease (``NOTIFIER_CLAIM_LEASE_S``, longer than any delivery with its retries), records a failure
(step ``claim``) on the open ones and reports them like any other give-up (dead letter and
notification-failed); a failure left unreported is reported again after a short grace. It never
sends: a claimed key may already have gone out, and at most once wins
(ADR 0007). Several replicas may sweep at once: the record update is conditional, and the events'
ids derive from key and step, so the tracker keeps one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from services.notifier.delivery_log import OPEN_STATUSES, DeliveryLog, OpenRecord, SweepStore
from services.notifier.failures import DeadLetterNotice, describe_key, short_reason
from shared.clock import Clock
from shared.logging import get_logger

log = get_logger(__name__)


def stale_reason(record: OpenRecord, lease: timedelta) -> str:
    """Why an open record is given up, in words an operator understands."""
    minutes = max(1, round(lease.total_seconds() / 60))
    if record.status == "claimed":
        return (f"claimed but never attempted within {minutes} min (the notifier stopped between "
                "claim and send); not resent, to never send twice")
    return (f"left {record.status} after {record.attempts} attempts for {minutes} min (the notifier "
            "stopped while retrying); not resent, to never send twice")


def notice_for(record: OpenRecord, reason: str) -> DeadLetterNotice:
    """The give-up notice of one swept record."""
    info = describe_key(record.key)
    return DeadLetterNotice((record.key,), info.recipient_id, info.channel, reason,
                            record.attempts, record.step or "claim")


class ClaimSweeper:
    """Turns stale open records into reported failures, and reports failures left unreported."""

    def __init__(self, store: SweepStore, delivery_log: DeliveryLog,
                 report: Callable[[DeadLetterNotice], Awaitable[None]], clock: Clock,
                 lease: timedelta, grace: timedelta = timedelta(minutes=1)) -> None:
        self.store, self.delivery_log, self.report = store, delivery_log, report
        self.clock, self.lease, self.grace = clock, lease, min(grace, lease)

    async def sweep(self) -> list[DeadLetterNotice]:
        """One pass; returns what it reported."""
        reported = []
        now = self.clock.now()
        for record in await self.store.open_records(now - self.lease, now - self.grace):
            if record.status in OPEN_STATUSES:
                reason = stale_reason(record, self.lease)
                if not await self.store.fail_stale(record.key, reason):
                    continue  # finished, or another replica swept it meanwhile
                notice = notice_for(OpenRecord(record.key, "failed", record.attempts,
                                               record.touched_at, "claim", reason), reason)
            else:
                notice = notice_for(record, record.reason or "failed (reason not recorded)")
            try:
                await self.report(notice)
                await self.delivery_log.mark_reported(notice.keys)
            except Exception as exc:  # Kafka or MongoDB down: the next pass tries again
                log.warning("swept failure not reported yet", key=record.key,
                            error=short_reason(exc))
                continue
            log.warning("stale notification reported", key=record.key, step=notice.step)
            reported.append(notice)
        return reported
