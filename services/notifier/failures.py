"""When the notifier gives up on a delivery: the notice, and what it becomes on Kafka. Pure: no I/O.

Every give-up, at any step (claim, render, send, record), is one :class:`DeadLetterNotice`. It becomes
one :class:`~shared.events.DeadLetter` (the dead-letter topic, as for every service) and one
:class:`~shared.events.NotificationFailed` per dedup key (keyed by its dispatch, so leadership sees it on
that dispatch's timeline). Event ids derive from the key and the step, so a notice reported twice (a
retried publish, the stale-claim sweep on two replicas) is one event for the tracker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.events import DeadLetter, NotificationFailed, derived_event_id
from shared.kafka import dead_letter

Step = Literal["claim", "render", "send", "record"]
"""The step of a delivery that failed."""
REASON_MAX = 2000
NOTIFICATIONS = "notifications"
"""The ``topic`` of the notifier's dead letters: what failed is a notification, not a message."""


@dataclass(frozen=True)
class KeyInfo:
    """What a dedup key says: the dispatch, unit, kind and level, recipient and channel."""

    dispatch_id: str | None
    unit_code: str | None
    kind: str  # the policy's signal kind, or 'digest'
    level: int | None
    kind_part: str  # as in the key: 'overdue-L3', 'approaching', 'digest'
    recipient_id: str
    channel: str


def describe_key(key: str) -> KeyInfo:
    """Read a dedup key: ``{dispatch}/{unit}/{kind}[-L{n}]/{recipient}/{channel}``,
    ``{dispatch}/dispute-{hops}/disputed/{recipient}/{channel}`` or
    ``digest/{day}/{recipient}/{channel}`` (anything else: what can be read, from the right)."""
    parts = key.split("/")
    recipient = parts[-2] if len(parts) >= 2 else "unknown"
    channel = parts[-1] if parts else "unknown"
    if parts[0] == "digest" and len(parts) == 4:
        return KeyInfo(None, None, "digest", None, "digest", recipient, channel)
    kind_part = parts[-3] if len(parts) >= 3 else "unknown"
    kind, _, level = kind_part.partition("-L")
    unit = parts[1] if len(parts) >= 5 and not parts[1].startswith("dispute-") else None
    return KeyInfo(parts[0] if len(parts) >= 4 else None, unit, kind,
                   int(level) if level.isdigit() else None, kind_part, recipient, channel)


@dataclass(frozen=True)
class DeadLetterNotice:
    """A delivery the notifier gave up on: its keys, recipient, channel, the step and the reason."""

    keys: tuple[str, ...]
    recipient_id: str
    channel: str
    reason: str
    attempts: int
    step: Step = "send"


def failure_events(notice: DeadLetterNotice, at: datetime) -> list[NotificationFailed]:
    """One :class:`NotificationFailed` per key of ``notice`` (a folded batch spans dispatches),
    dated ``at`` by the notifier's clock, the same clock as the signals' (a demo's simulated time)."""
    events = []
    for key in notice.keys:
        info = describe_key(key)
        events.append(NotificationFailed(
            event_id=derived_event_id("notification-failed", key, notice.step), occurred_at=at,
            correlation_id=info.dispatch_id or "digest", dispatch_id=info.dispatch_id,
            unit_code=info.unit_code, keys=[key], kind=info.kind, level=info.level,
            recipient_id=notice.recipient_id, channel=notice.channel, step=notice.step,
            reason=notice.reason[:REASON_MAX], attempts=notice.attempts))
    return events


def notice_letter(notice: DeadLetterNotice) -> DeadLetter:
    """The dead letter of ``notice``, keyed by its first dispatch (or 'digest')."""
    first = describe_key(notice.keys[0]) if notice.keys else None
    payload = {"keys": list(notice.keys), "recipient": notice.recipient_id,
               "channel": notice.channel, "step": notice.step, "attempts": notice.attempts}
    return dead_letter("notifier", NOTIFICATIONS, f"{notice.step}: {notice.reason}"[:REASON_MAX],
                       (first.dispatch_id if first else None) or "digest",
                       json.dumps(payload, ensure_ascii=False))


def short_reason(exc: BaseException, limit: int = 500) -> str:
    """``Type: message`` of an exception, cut to ``limit`` characters."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 1] + "…"
