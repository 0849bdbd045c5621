"""Folded (held) notifications are kept in a store until their delivery is recorded: a flush whose
delivery raises loses nothing, and a new notifier over the same store delivers what the old held."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from services.notifier.coalescing import Batch, Coalescer
from services.notifier.delivery import DeliveryService
from services.notifier.delivery_log import InMemoryDeliveryLog
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.holding import (
    HeldNotifications,
    InMemoryHeldStore,
    plan_from_doc,
    plan_to_doc,
)
from services.notifier.policy import load_policy
from shared.clock import FixedClock
from tests.unit.notifier.factories import DUE, disputed, sample_directory, signal
from tests.unit.notifier.fakes import SpyChannel

WINDOW = timedelta(minutes=30)


def _head_note(dispatch_id: str) -> PlannedNotification:
    [plan] = plan_notifications(signal("overdue", dispatch_id=dispatch_id), load_policy(),
                                sample_directory())
    return plan


def _service(channel: SpyChannel, log: InMemoryDeliveryLog) -> DeliveryService:
    from services.notifier.messages import MessageRenderer

    return DeliveryService({"email": channel}, log, MessageRenderer("http://t"))


async def test_a_flush_whose_delivery_raises_keeps_the_items_for_the_next_flush() -> None:
    clock, store = FixedClock(DUE), InMemoryHeldStore()
    held = HeldNotifications(Coalescer(WINDOW, clock), store)
    assert len(await held.offer_all([_head_note("a"), _head_note("b"), _head_note("c")])) == 1
    assert set(store.items) == {_head_note("b").key, _head_note("c").key}
    clock.advance(WINDOW)

    async def broken(_: Batch) -> None:
        raise ConnectionError("FerretDB unreachable")

    with pytest.raises(ConnectionError):  # before the fix: the batch was popped and lost here
        await held.flush(broken)
    assert set(store.items) == {_head_note("b").key, _head_note("c").key}
    channel, log = SpyChannel(), InMemoryDeliveryLog()
    assert await held.flush(_service(channel, log).notify) == 1  # the next flush, 1 s later
    [message] = channel.delivered
    assert message.keys == (_head_note("b").key, _head_note("c").key)
    assert store.items == {} and log.status(_head_note("b").key) == "delivered"


async def test_a_restarted_notifier_delivers_what_the_old_one_held() -> None:
    clock, store = FixedClock(DUE), InMemoryHeldStore()
    old = HeldNotifications(Coalescer(WINDOW, clock), store)
    await old.offer_all([_head_note("a"), _head_note("b"), _head_note("c")])
    del old  # the process stops without draining (a crash)

    new = HeldNotifications(Coalescer(WINDOW, clock), store)
    assert await new.load() == 2
    channel, log = SpyChannel(), InMemoryDeliveryLog()
    assert await new.flush(_service(channel, log).notify) == 1
    assert [o.keys for o in channel.delivered] == [(_head_note("b").key, _head_note("c").key)]
    assert store.items == {}


async def test_a_held_item_released_twice_after_a_crash_is_not_sent_twice() -> None:
    clock, store, log, channel = FixedClock(DUE), InMemoryHeldStore(), InMemoryDeliveryLog(), SpyChannel()
    held = HeldNotifications(Coalescer(WINDOW, clock), store)
    await held.offer_all([_head_note("a"), _head_note("b")])
    await _service(channel, log).notify([_head_note("b")])  # delivered, then died before release
    again = HeldNotifications(Coalescer(WINDOW, clock), store)
    await again.load()
    await again.flush(_service(channel, log).notify)
    assert len(channel.delivered) == 1 and store.items == {}


@pytest.mark.parametrize("plan", [
    _head_note("cv-9"),
    *plan_notifications(signal("overdue", level=3), load_policy(), sample_directory()),
    *plan_notifications(disputed(), load_policy(), sample_directory()),
])
def test_a_held_plan_survives_a_round_trip_through_json(plan: PlannedNotification) -> None:
    assert plan_from_doc(json.loads(json.dumps(plan_to_doc(plan)))) == plan
