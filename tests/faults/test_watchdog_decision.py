"""The watchdog's pure decision (stuck or not) and its bookkeeping of fetches and handled batches.
The end-to-end view (a real stalled consumer turns /ready to 503) is in test_infra_outages.py."""

from __future__ import annotations

import pytest

from shared.watchdog import ConsumerWatchdog, assess, stall_after_s


@pytest.mark.parametrize(("lag", "idle_s", "stuck"), [
    (0, 3600.0, False),     # idle but caught up: nothing to do is not a stall
    (None, 3600.0, False),  # Kafka did not answer: /ready reports Kafka itself
    (5, 10.0, False),       # work waiting, but a batch was handled recently
    (5, 60.0, True),        # work waiting and nothing handled for the whole threshold
    (1, 61.0, True),
])
def test_stuck_only_when_work_waits_and_nothing_was_handled(
    lag: int | None, idle_s: float, stuck: bool,
) -> None:
    verdict = assess(lag, idle_s, stall_after_s=60.0)
    assert verdict.stuck is stuck
    assert verdict.reason


def test_threshold_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANTHU_WATCHDOG_STALL_S", "4.5")
    assert stall_after_s() == 4.5
    monkeypatch.delenv("VANTHU_WATCHDOG_STALL_S")
    assert stall_after_s() == 60.0


def test_idle_time_counts_from_the_last_handled_batch_not_the_last_fetch() -> None:
    now = [100.0]
    watchdog = ConsumerWatchdog(clock=lambda: now[0])
    watchdog.register("vanthu-router", "topic")
    progress = watchdog.consumers[("vanthu-router", "topic")]
    now[0] = 130.0
    assert progress.idle_s(now[0]) == 30.0  # never handled: counted from registration
    watchdog.fetched("vanthu-router", "topic")
    watchdog.handled("vanthu-router", "topic")
    now[0] = 150.0
    watchdog.fetched("vanthu-router", "topic")  # a batch came again (a retry) but failed
    now[0] = 200.0
    assert progress.idle_s(now[0]) == 70.0
    assert progress.last_fetch_at == 150.0
    watchdog.handled("unknown-group", "topic")  # ignored, not an error


async def test_report_marks_a_stalled_consumer_unhealthy() -> None:
    now = [0.0]
    watchdog = ConsumerWatchdog(clock=lambda: now[0])
    watchdog.register("g", "waiting")
    watchdog.register("g", "drained")
    lags = {"waiting": 12, "drained": 0}

    async def fake_lag(bootstrap: str, group_id: str, topic: str) -> int:
        return lags[topic]

    watchdog.lag = fake_lag  # type: ignore[method-assign]
    now[0] = 61.0
    ok, body = await watchdog.report("unused")
    assert not ok
    assert body["g:waiting"]["stuck"] and body["g:waiting"]["lag"] == 12
    assert not body["g:drained"]["stuck"]
    watchdog.handled("g", "waiting")
    ok, body = await watchdog.report("unused")
    assert ok and body["g:waiting"]["idle_s"] == 0.0
