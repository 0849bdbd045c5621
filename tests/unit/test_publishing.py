"""publish_all hands every event over before awaiting, and raises a failed delivery after all settle."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from shared.events import DeadLetter
from shared.publishing import Outgoing, publish_all


class FakeBroker:
    """Records sends; each returns a future the test settles later."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []
        self.futures: list[asyncio.Future[object]] = []

    async def publish(self, event: Any, *, topic: str, key: bytes,
                      no_confirm: bool) -> asyncio.Future[object]:
        assert no_confirm
        self.sent.append((topic, key))
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self.futures.append(future)
        return future


def letter(i: int) -> Outgoing:
    event = DeadLetter(service="t", topic="t", reason=str(i), key="k", payload="{}")
    return Outgoing(event, "topic", f"d{i}")


async def test_all_sends_happen_before_any_acknowledgement() -> None:
    broker = FakeBroker()
    task = asyncio.create_task(publish_all(broker, [letter(i) for i in range(3)]))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    assert broker.sent == [("topic", b"d0"), ("topic", b"d1"), ("topic", b"d2")]
    assert not task.done()
    for future in broker.futures:
        future.set_result(None)
    assert await task == 3


async def test_a_failed_delivery_raises_after_every_send_settled() -> None:
    broker = FakeBroker()
    task = asyncio.create_task(publish_all(broker, [letter(i) for i in range(3)]))  # type: ignore[arg-type]
    await asyncio.sleep(0)
    broker.futures[0].set_exception(RuntimeError("broker down"))
    await asyncio.sleep(0)
    assert not task.done()  # still waiting for the other two
    broker.futures[1].set_result(None)
    broker.futures[2].set_result(None)
    with pytest.raises(RuntimeError, match="broker down"):
        await task
