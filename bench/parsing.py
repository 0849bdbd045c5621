"""Timing of the parser: how long one letter takes (target: well under 5 ms)."""

from __future__ import annotations

import time

from services.ingest.parsing.parser import parse_text


def measure_ms_per_letter(texts: list[str], repeat: int) -> float:
    """Mean wall-clock milliseconds of ``parse_text`` per letter over ``repeat`` rounds."""
    if not texts or repeat < 1:
        raise ValueError("need at least one text and one round")
    for text in texts:  # warm-up: compile regexes, fill caches
        parse_text(text)
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            parse_text(text)
    elapsed = time.perf_counter() - started
    return elapsed * 1000 / (repeat * len(texts))
