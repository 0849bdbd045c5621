"""Login throttling over a sliding window, and sessions that expire and are stored only hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.tracker.dashboard.sessions import Sessions, id_hash
from services.tracker.dashboard.throttle import LoginThrottle
from tests.service.tracker_fakes import InMemoryTrackerRepository


def test_n_failures_within_the_window_block_until_the_oldest_leaves_it() -> None:
    throttle = LoginThrottle(max_failures=3, window_s=60)
    for at in (0, 10, 20):
        assert throttle.retry_after("a", at) is None
        throttle.failed("a", at)
    assert throttle.retry_after("a", 21) == 39  # the failure at 0 leaves the window at 60
    assert throttle.retry_after("b", 21) is None  # per address
    assert throttle.retry_after("a", 60) is None
    throttle.failed("a", 61)
    assert throttle.retry_after("a", 62) == 8  # 10, 20, 61 in the window: wait till 70
    throttle.succeeded("a")
    assert throttle.retry_after("a", 62) is None


async def test_a_session_expires_and_only_its_hash_is_stored() -> None:
    repo, now = InMemoryTrackerRepository(), [datetime(2024, 2, 1, tzinfo=UTC)]
    sessions = Sessions(repo, ttl_s=3600, now=lambda: now[0])  # type: ignore[arg-type]
    session_id, session = await sessions.create("director")
    assert list(repo.sessions) == [id_hash(session_id)] and session_id not in str(repo.sessions)
    assert (await sessions.resolve(session_id)) == session
    assert await sessions.resolve(session_id + "x") is None
    now[0] += timedelta(seconds=3600)
    assert await sessions.resolve(session_id) is None and not repo.sessions  # deleted
