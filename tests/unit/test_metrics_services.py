"""Where the services count: a consumer's events (processed, dead-lettered), the notifier's
deliveries by signal, level and channel, and the tracker's store gauges, read at most every 30 s."""

from __future__ import annotations

import asyncio
import uuid

from faststream.kafka import KafkaBroker, TestKafkaBroker
from pydantic import BaseModel

from services.notifier.delivery_metrics import count_failed, count_sent
from services.tracker.gauges import StoreGauges
from shared import metrics
from shared.kafka import subscribe_events
from shared.metrics import REGISTRY


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Ping(BaseModel):
    n: int


async def test_a_consumer_counts_what_it_handled_and_what_it_dead_lettered() -> None:
    topic, group = f"t.{uuid.uuid4().hex[:8]}", "g-metrics"
    broker = KafkaBroker("127.0.0.1:9")

    async def handle(events: list[Ping]) -> None:
        if any(event.n == 13 for event in events):
            raise ValueError("thirteen")

    subscribe_events(broker, service="test", topic=topic, model=Ping, group_id=group,
                     handle=handle, max_attempts=1)
    labels = {"group": group, "topic": topic}
    assert _value("vanthu_events_processed_total", **labels) == 0  # the series exists from 0
    assert REGISTRY.get_sample_value("vanthu_events_processed_total", labels) is not None
    async with TestKafkaBroker(broker) as test_broker:
        for n in (1, 2, 13):
            await test_broker.publish(Ping(n=n), topic=topic, key=b"k")
        await test_broker.publish(b"not json", topic=topic, key=b"k")
        await asyncio.sleep(0.1)
    assert _value("vanthu_events_processed_total", **labels) == 2
    assert _value("vanthu_events_dead_lettered_total", service="test", topic=topic) == 2
    assert _value("vanthu_handler_duration_seconds_count", **labels) >= 3


def test_deliveries_are_counted_by_signal_level_and_channel_never_by_dispatch() -> None:
    metrics.register_for("notifier")  # as the notifier's app does (once per process)
    metrics.register_for("notifier")
    def sent(signal: str, level: str, channel: str) -> float:
        return _value("vanthu_notifications_sent_total", signal=signal, level=level,
                      channel=channel)

    before = (sent("overdue", "2", "email"), sent("approaching", "", "webhook"),
              sent("digest", "", "email"))
    count_sent(("cv-1/QLTM/overdue-L2/u1/email", "cv-2/QLCN/overdue-L2/u1/email"), "email")
    count_sent(("cv-3/QLTM/approaching/u2/webhook",), "webhook")
    count_sent(("digest/2024-03-01/u1/email",), "email")
    after = (sent("overdue", "2", "email"), sent("approaching", "", "webhook"),
             sent("digest", "", "email"))
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 1]
    failed = _value("vanthu_notification_deliveries_failed_total", signal="overdue",
                    channel="webhook", step="send")
    count_failed(("cv-1/QLTM/overdue-L1/u1/webhook",), "webhook", "send")
    assert _value("vanthu_notification_deliveries_failed_total", signal="overdue",
                  channel="webhook", step="send") == failed + 1
    labels = {s.labels.get("signal") for f in metrics.NOTIFICATIONS_SENT.collect()
              for s in f.samples}
    assert not any(label and label.startswith("cv-") for label in labels)


async def test_store_gauges_count_at_most_every_interval() -> None:
    now, calls = [0.0], []

    async def open_blockers() -> int:
        calls.append("blockers")
        return 3

    async def pending() -> int:
        return 5

    metrics.register_for("tracker")
    gauges = StoreGauges(open_blockers, pending, every_s=30.0, clock=lambda: now[0])
    await gauges.refresh()
    assert _value("vanthu_tracker_open_blockers") == 3
    assert _value("vanthu_tracker_pending_extension_requests") == 5
    now[0] = 29.0
    await gauges.refresh()  # a scrape every second does not count every second
    assert calls == ["blockers"]
    now[0] = 31.0
    await gauges.refresh()
    assert calls == ["blockers", "blockers"]
