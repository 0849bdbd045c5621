"""The end-to-end bench's decisions, pure: offered rates, batch sizes, when a step is sustainable.

A step offers ``rate`` dispatches a second for a while. It is sustainable when the load generator
kept to the schedule (≥ 90 % of the offered rate sent, every document accepted), the phase was not
stopped early, and the backlog (accepted − tracked) grew by less than ``max(15, 15 %)`` of what it
sent. A phase stops early once the backlog passes :func:`abort_backlog`: half a second of the
offered rate, at least 60 (FerretDB 1.24 deadlocks on one bulk update of 100 existing documents,
ADR 0009: at low rates a slow tracker must not be handed batches that large).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BATCH_RATES = (50, 100, 200, 400, 700, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000)
"""Offered rates (dispatches/s) through ``POST /dispatches/batch``, stepped up in this order."""
SINGLE_RATES = (25, 50, 100, 200, 400, 800)
"""Offered rates through ``POST /dispatches`` (one document per request)."""
ABORT_FLOOR, ABORT_SECONDS = 60, 0.5
HOLD_BACKOFF, HOLD_TRIES = 0.75, 4


@dataclass(frozen=True)
class Durations:
    """How long each phase lasts, in seconds."""

    step: float = 10.0
    sustain: float = 60.0
    latency: float = 25.0
    single_step: float = 5.0


FULL, QUICK = Durations(), Durations(step=4.0, sustain=15.0, latency=8.0, single_step=3.0)
"""``make bench``'s phases, and ``python -m bench.run --quick``'s."""


def batch_size(rate: float) -> int:
    """Documents per batch request: 50 below 2,000/s, 100 from there (the endpoint's cap)."""
    return 100 if rate >= 2000 else 50


def abort_backlog(rate: float) -> int:
    """The backlog past which a phase at ``rate``/s stops early."""
    return max(ABORT_FLOOR, int(ABORT_SECONDS * rate))


def kept_up(rate: float, sent: int, accepted: int, seconds: float) -> bool:
    """The load generator sent ≥ 90 % of the schedule and ingest accepted all of it."""
    return seconds > 0 and sent / seconds >= 0.9 * rate and accepted == sent


def sustainable(rate: float, sent: int, accepted: int, seconds: float, backlog_before: int,
                backlog_after: int, aborted: bool) -> bool:
    """Whether a step at ``rate``/s held: kept up, not aborted, backlog growth bounded."""
    grew = backlog_after - backlog_before
    return kept_up(rate, sent, accepted, seconds) and not aborted \
        and grew <= max(15, 0.15 * sent)


def lower(rate: float) -> float:
    """The rate to hold next after ``rate`` did not stay bounded."""
    return round(rate * HOLD_BACKOFF, 1)


def percentiles_ms(values: list[float], quantiles: tuple[float, ...] = (0.5, 0.95, 0.99)
                   ) -> dict[str, float | None]:
    """Nearest-rank percentiles of ``values`` (seconds) in milliseconds, keyed ``p50``, ``p95``…"""
    keys = [f"p{round(q * 100):d}" for q in quantiles]
    if not values:
        return dict.fromkeys(keys)
    ordered = sorted(values)
    n = len(ordered)
    out: dict[str, float | None] = {}
    for key, q in zip(keys, quantiles, strict=True):
        rank = max(1, math.ceil(q * n - 1e-9))  # nearest rank: the ceil(q·n)-th smallest
        out[key] = round(ordered[min(n, rank) - 1] * 1000, 1)
    return out
