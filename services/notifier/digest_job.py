"""The daily leadership digest, sent at the policy's time on working days (and on demand).

Figures come from the tracker's ``GET /reports/digest`` (leadership token): the open assignments and
the per-unit on-time rows, computed there by :mod:`shared.on_time` like the dashboard's; the notifier
never reads the tracker's collections nor recomputes a rate. Each recipient's copy has a per-day
dedup key, so with several notifier replicas, or a restart, a day's digest goes out once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from services.notifier.delivery import DeliveryResult, DeliveryService
from services.notifier.digest import (
    OpenItem,
    build_digest,
    digest_outgoings,
    digest_recipients,
    next_digest_at,
    render_digest,
)
from services.notifier.directory import RecipientDirectory
from services.notifier.policy import EscalationPolicy
from shared.clock import VIETNAM_TZ, Clock
from shared.logging import get_logger
from shared.on_time import UnitOnTime
from shared.workdays import WorkCalendar

log = get_logger(__name__)


def digest_inputs(data: Mapping[str, Any]) -> tuple[list[OpenItem], list[UnitOnTime]]:
    """The open items and the per-unit on-time rows of a ``GET /reports/digest`` answer."""
    open_items = [OpenItem(o["dispatch_id"], o["unit_code"], datetime.fromisoformat(o["due_at"]),
                           o.get("subject"), o.get("number"), o.get("notation"))
                  for o in data["open"]]
    return open_items, [UnitOnTime.from_dict(row) for row in data["on_time"]]


class DigestJob:
    """Builds and sends the digest; ``run_forever`` waits for each working day's send time."""

    def __init__(self, *, tracker_url: str, tracker_token: str, policy: EscalationPolicy,
                 directory: RecipientDirectory, delivery: DeliveryService, clock: Clock,
                 calendar: WorkCalendar, speed: float = 1.0) -> None:
        self.tracker_url, self.tracker_token = tracker_url, tracker_token
        self.policy, self.directory, self.delivery = policy, directory, delivery
        self.clock, self.calendar, self.speed = clock, calendar, speed

    async def send_now(self) -> list[DeliveryResult]:
        """Fetch today's figures and send the digest to its recipients (once per day each)."""
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.get(
                f"{self.tracker_url}/reports/digest",
                params={"days": self.policy.digest.on_time_window_days},
                headers={"Authorization": f"Bearer {self.tracker_token}"})
            response.raise_for_status()
        data = response.json()
        open_items, on_time = digest_inputs(data)
        now = datetime.fromisoformat(data["now"])  # the tracker's time: figures and date agree
        names = {code: self.directory.unit_name(code)
                 for code in {i.unit_code for i in open_items} | {r.unit_code for r in on_time}}
        digest = build_digest(open_items, on_time, now, names,
                              window_days=self.policy.digest.on_time_window_days)
        message = render_digest(digest, self.tracker_url)
        recipients = digest_recipients(self.directory, self.policy.digest)
        day = now.astimezone(VIETNAM_TZ).date()
        results = [await self.delivery.send(o) for o in digest_outgoings(message, recipients, day)]
        log.info("digest sent", day=day.isoformat(), recipients=len(recipients))
        return results

    async def run_forever(self) -> None:
        """Send at the policy's local time on every working day."""
        while True:
            now = self.clock.now()
            due = next_digest_at(now, self.policy.digest.send_time, calendar=self.calendar)
            await asyncio.sleep(max((due - now).total_seconds() / self.speed, 0.5))
            if self.clock.now() >= due:
                try:
                    await self.send_now()
                except (httpx.HTTPError, OSError) as exc:
                    log.warning("digest not sent; will try at the next send time", error=repr(exc))
