"""The notifier's background loops: prepared in order, stopped with a last flush of what is held."""

from __future__ import annotations

import asyncio

from services.notifier.lifecycle import BackgroundLoops


class Steps:
    def __init__(self, flush_fails_at_stop: bool = False) -> None:
        self.done: list[str] = []
        self.flush_fails_at_stop = flush_fails_at_stop

    async def indexes(self) -> None:
        self.done.append("indexes")

    async def load(self) -> None:
        self.done.append("load")

    async def flush(self, everything: bool = False) -> int:
        self.done.append("flush everything" if everything else "flush")
        if everything and self.flush_fails_at_stop:
            raise ConnectionError("mongo gone")
        return 0

    async def sweep(self) -> None:
        self.done.append("sweep")

    async def digest(self) -> None:
        self.done.append("digest")
        await asyncio.Event().wait()  # runs for ever, like DigestJob.run_forever


def _loops(steps: Steps, digest: bool) -> BackgroundLoops:
    return BackgroundLoops(prepare=[steps.indexes, steps.load], flush=steps.flush,
                           sweep=steps.sweep, sweep_interval_s=60,
                           digest=steps.digest if digest else None)


async def test_prepares_in_order_then_runs_every_loop_and_flushes_everything_at_stop() -> None:
    steps = Steps()
    loops = _loops(steps, digest=True)
    await loops.start()
    await asyncio.sleep(0.05)
    assert steps.done[:2] == ["indexes", "load"]
    assert set(steps.done[2:]) == {"flush", "sweep", "digest"}
    await loops.stop()
    assert steps.done[-1] == "flush everything"
    assert all(task.done() for task in loops.tasks) and not loops.tasks


async def test_no_digest_without_a_tracker_token() -> None:
    steps = Steps()
    loops = _loops(steps, digest=False)
    await loops.start()
    await asyncio.sleep(0.05)
    assert [task.get_name() for task in loops.tasks] == ["flush", "stale-claim-sweep"]
    await loops.stop()
    assert "digest" not in steps.done


async def test_a_failed_last_flush_does_not_stop_the_shutdown() -> None:
    steps = Steps(flush_fails_at_stop=True)
    loops = _loops(steps, digest=False)
    await loops.start()
    await loops.stop()  # logged; the held notifications stay stored for the next start
    assert steps.done[-1] == "flush everything"
