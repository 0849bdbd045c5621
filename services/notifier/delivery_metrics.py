"""The notifier's delivery outcomes as Prometheus counters (``shared.metrics``), read from the dedup
keys: one notification per key, labelled by its signal kind, level and channel (a folded message
counts each of its keys); never by dispatch or recipient."""

from __future__ import annotations

from collections.abc import Iterable

from services.notifier.failures import Step, describe_key
from shared import metrics


def count_sent(keys: Iterable[str], channel: str) -> None:
    """Notifications delivered (an escalation is ``signal="overdue"`` with its level)."""
    for key in keys:
        info = describe_key(key)
        level = "" if info.level is None else str(info.level)
        metrics.NOTIFICATIONS_SENT.labels(info.kind, level, channel).inc()


def count_failed(keys: Iterable[str], channel: str, step: Step) -> None:
    """Notifications given up at ``step``."""
    for key in keys:
        metrics.DELIVERIES_FAILED.labels(describe_key(key).kind, channel, step).inc()
