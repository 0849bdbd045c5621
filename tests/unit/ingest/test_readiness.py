"""Kafka readiness is a kept state: probed in the background, turned off by a failed publication,
never asked of the broker per dispatch."""

from __future__ import annotations

import asyncio

from services.ingest.readiness import KafkaReadiness


class Broker:
    def __init__(self) -> None:
        self.up = True
        self.pings = 0

    async def ping(self) -> bool:
        self.pings += 1
        if self.up is None:
            raise ConnectionError("refused")
        return self.up


async def test_the_state_is_read_without_asking_the_broker() -> None:
    broker = Broker()
    readiness = KafkaReadiness(broker.ping, period_s=60)
    await readiness.start()
    try:
        assert [await readiness.ready() for _ in range(100)] == [True] * 100
        assert broker.pings == 1
    finally:
        await readiness.stop()


async def test_a_failed_publication_refuses_until_a_probe_finds_kafka_again() -> None:
    broker = Broker()
    readiness = KafkaReadiness(broker.ping, period_s=0.02)
    await readiness.start()
    try:
        readiness.failed()
        assert await readiness.ready() is False
        for _ in range(100):
            if await readiness.ready():
                break
            await asyncio.sleep(0.01)
        assert await readiness.ready() is True
        broker.up = False
        await asyncio.sleep(0.1)
        assert await readiness.ready() is False
    finally:
        await readiness.stop()


async def test_a_probe_that_raises_counts_as_unreachable() -> None:
    broker = Broker()
    broker.up = None  # type: ignore[assignment]
    readiness = KafkaReadiness(broker.ping)
    assert await readiness.refresh() is False and await readiness.ready() is False
