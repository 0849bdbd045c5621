"""The bench's pure parts: percentiles, CPU accounting from /proc lines, step decisions, and when a
dispatch counts as tracked from the tracker group's observed commits."""

from __future__ import annotations

import os

import pytest

from bench import steps
from bench.cpu import CpuMeter, cpu_ticks_of_stat, per_dispatch, vm_hwm_kb
from bench.load import Sent
from bench.tracing import Commits, Tracer, tracked_at

# a real /proc/<pid>/stat line shape; the command name holds a space and a parenthesis
STAT = ("4242 (python (x) y) S 1 4242 4242 0 -1 4194560 12345 0 0 0 "
        "731 129 0 0 20 0 3 0 987654 123456789 4321 18446744073709551615 1 1 0 0 0 0 0 "
        "16781312 16386 0 0 0 17 1 0 0 0 0 0")


def test_cpu_ticks_are_utime_plus_stime_even_with_parentheses_in_the_name() -> None:
    assert cpu_ticks_of_stat(STAT) == 731 + 129


def test_vm_hwm_is_read_in_kb_and_missing_is_none() -> None:
    status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  524288 kB\nVmRSS:\t 1000 kB\n"
    assert vm_hwm_kb(status) == 524288
    assert vm_hwm_kb("Name:\tkthreadd\n") is None


def test_per_dispatch_divides_each_process_and_the_total() -> None:
    spent = {"router": 1000.0, "tracker": 500.0, "kafka": 250.0}
    assert per_dispatch(spent, 1000) == {"router": 1.0, "tracker": 0.5, "kafka": 0.25,
                                         "total": 1.75}
    assert per_dispatch(spent, 0)["total"] is None


def test_cpu_meter_reads_this_process_and_leaves_out_one_that_is_gone() -> None:
    meter = CpuMeter({"me": os.getpid(), "gone": 2**22 + 12345})
    meter.start()
    sum(i * i for i in range(300_000))  # burn a little CPU
    spent = meter.stop()
    assert set(spent) == {"me"} and spent["me"] >= 0
    assert (meter.peak_rss_mb()["me"] or 0) > 1


def test_percentiles_are_nearest_rank_in_ms() -> None:
    values = [i / 1000 for i in range(1, 101)]  # 1 … 100 ms
    assert steps.percentiles_ms(values) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}
    assert steps.percentiles_ms([0.007]) == {"p50": 7.0, "p95": 7.0, "p99": 7.0}
    assert steps.percentiles_ms([]) == {"p50": None, "p95": None, "p99": None}
    assert steps.percentiles_ms([0.3, 0.1, 0.2], (0.5,)) == {"p50": 200.0}


def test_batch_size_and_abort_threshold_follow_the_rate() -> None:
    assert steps.batch_size(50) == 50 and steps.batch_size(1999) == 50
    assert steps.batch_size(2000) == 100 and steps.batch_size(6000) == 100
    assert steps.abort_backlog(50) == 60  # the floor: small tracker batches at low rates
    assert steps.abort_backlog(4000) == 2000
    assert max(steps.BATCH_RATES) >= 5000


@pytest.mark.parametrize(("sent", "seconds", "accepted", "before", "after", "aborted", "ok"), [
    (10_000, 10.0, 10_000, 0, 40, False, True),     # kept up, backlog steady
    (10_000, 10.0, 10_000, 0, 1_400, False, True),  # grew by 14 %: still bounded
    (10_000, 10.0, 10_000, 0, 1_600, False, False),  # grew by 16 %
    (10_000, 10.0, 9_990, 0, 0, False, False),       # ten documents refused
    (8_500, 10.0, 8_500, 0, 0, False, False),        # the generator fell behind (85 %)
    (10_000, 10.0, 10_000, 0, 0, True, False),       # stopped early
    (100, 10.0, 100, 0, 15, False, True),            # small steps may grow by 15
])
def test_a_step_at_1000_per_s_is_sustainable_only_when_everything_held(
        sent: int, seconds: float, accepted: int, before: int, after: int, aborted: bool,
        ok: bool) -> None:
    rate = 1000 if sent > 1000 else 10
    assert steps.sustainable(rate, sent, accepted, seconds, before, after, aborted) is ok


def test_a_hold_that_grows_lowers_the_rate_by_a_quarter() -> None:
    assert steps.lower(2000) == 1500.0
    assert steps.lower(50) == 37.5


def test_a_dispatch_is_tracked_at_the_first_commit_past_its_offset() -> None:
    commits = Commits()
    commits.observe(10.00, 5)   # offsets 0..4 done
    commits.observe(10.01, 5)   # no progress: not recorded again
    commits.observe(10.02, 9)   # 5..8 done
    commits.observe(10.03, 7)   # never backwards
    assert commits.offsets == [5, 9]
    assert tracked_at(commits, 0) == 10.00
    assert tracked_at(commits, 4) == 10.00
    assert tracked_at(commits, 5) == 10.02
    assert tracked_at(commits, 8) == 10.02
    assert tracked_at(commits, 9) is None
    assert tracked_at(Commits(), 0) is None


def test_the_tracer_times_each_dispatch_from_its_send_to_assigned_and_tracked() -> None:
    tracer = Tracer("unused:9092")
    tracer.on_sent(Sent(100.000, 202, "d1", 100.004))
    tracer.on_sent(Sent(100.000, 202, "d2", 100.004))
    tracer.on_sent(Sent(100.000, 503, None, 100.004))  # not accepted: not followed
    tracer.records = {"d1": (0, 7, 100.010), "d2": (1, 3, 100.012)}
    tracer.commits = {0: Commits([100.020], [8]), 1: Commits([100.015], [2])}
    assert tracer.pending() == 1  # d2's record (offset 3) is not committed yet
    tracer.commits[1].observe(100.030, 4)
    summary = tracer.summary()
    assert summary["samples"] == 2 and summary["never_tracked"] == 0
    assert summary["tracked_ms"]["p50"] == 20.0 and summary["tracked_ms"]["p99"] == 30.0
    assert summary["assigned_ms"]["p99"] == 12.0
    assert summary["accepted_ms"]["p50"] == 4.0
