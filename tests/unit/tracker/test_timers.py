"""The detector's in-memory timers: what is due pops soonest first, and nothing else is touched."""

from __future__ import annotations

from services.tracker.timers import DeadlineTimers, Ownership


def test_due_timers_pop_soonest_first_up_to_the_limit() -> None:
    timers = DeadlineTimers()
    for i, when in enumerate([50.0, 10.0, 30.0, 99.0]):
        timers.push(f"a{i}", when, key_hash=i)
    assert timers.pop_due(40.0, limit=1) == [("a1", 10.0, 1)]
    assert timers.pop_due(40.0, limit=10) == [("a2", 30.0, 2)]
    assert timers.pop_due(40.0, limit=10) == []
    assert len(timers) == 2 and timers.next_at() == 50.0


def test_a_sooner_push_wins_and_a_later_one_is_ignored() -> None:
    timers = DeadlineTimers()
    timers.push("a", 50.0, 7)
    timers.push("a", 20.0, 7)  # e.g. a reload found an unreceipted signal
    timers.push("a", 80.0, 7)
    assert timers.pop_due(100.0, limit=10) == [("a", 20.0, 7)]  # once, at the soonest instant
    assert timers.pop_due(100.0, limit=10) == [] and len(timers) == 0


def test_dropping_partitions_forgets_only_their_timers() -> None:
    timers = DeadlineTimers()
    for key_hash in range(6):
        timers.push(f"a{key_hash}", float(key_hash), key_hash)
    assert timers.drop_partitions({1}, partition_count=3) == 2  # key hashes 1 and 4
    assert [i for i, _, _ in timers.pop_due(10.0, limit=10)] == ["a0", "a2", "a3", "a5"]


def test_a_million_timers_cost_only_what_is_due_to_pop() -> None:
    timers = DeadlineTimers()
    for i in range(1_000_000):
        timers.push(f"a{i}", 1000.0 + (i % 100), i)
    assert timers.pop_due(999.0, limit=500) == []
    due = timers.pop_due(1000.0, limit=100_000)
    assert len(due) == 10_000 and len(timers) == 990_000


def test_ownership_reports_partitions_gained_and_lost() -> None:
    before = Ownership(4, frozenset({0, 1}))
    after = Ownership(4, frozenset({1, 2, 3}))
    assert after.changes(before) == ({2, 3}, {0})
    assert after.changes(None) == ({1, 2, 3}, set())
    assert Ownership(8, frozenset({0})).changes(before) == ({0}, set())
    assert after.owns(6) and not after.owns(4)


def test_pushing_many_at_once_leaves_the_timers_one_push_at_a_time_would() -> None:
    import random

    rng = random.Random(7)
    items = [(f"a{rng.randrange(300)}", float(rng.randrange(10_000)), rng.randrange(8))
             for _ in range(2_000)]  # ids repeat: the soonest push of each must win
    one_by_one, at_once, in_two = DeadlineTimers(), DeadlineTimers(), DeadlineTimers()
    for item in items:
        one_by_one.push(*item)
    at_once.push_many(items)
    in_two.push_many(items[:1_500])  # a bulk load, then a few more (heap pushes)
    in_two.push_many(items[1_500:])
    expected = one_by_one.pop_due(float("inf"), 10**6)
    assert at_once.pop_due(float("inf"), 10**6) == expected == in_two.pop_due(float("inf"), 10**6)
    assert len(expected) == len({i for i, _, _ in items})
