"""Per-recipient rate limiting: one message per window, the rest folded into one."""

from __future__ import annotations

from datetime import timedelta

from services.notifier.coalescing import Coalescer
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from shared.clock import FixedClock
from tests.unit.notifier.factories import DUE, sample_directory, signal

WINDOW = timedelta(minutes=30)


def _head_note(dispatch_id: str) -> PlannedNotification:
    [plan] = plan_notifications(signal("overdue", dispatch_id=dispatch_id), load_policy(), sample_directory())
    return plan


def test_first_goes_at_once_the_rest_of_the_window_is_folded_into_one_message() -> None:
    clock = FixedClock(DUE)
    coalescer = Coalescer(WINDOW, clock)
    first = _head_note("a")
    assert coalescer.offer(first) == [first]
    clock.advance(timedelta(minutes=1))
    assert coalescer.offer(_head_note("b")) is None
    assert coalescer.offer_all([_head_note("c"), _head_note("b")]) == []  # b again: held once
    assert coalescer.due() == [] and coalescer.next_due_at() == DUE + WINDOW
    clock.advance(timedelta(minutes=29))
    [batch] = coalescer.due()
    assert [p.dispatch_id for p in batch] == ["b", "c"]
    message = MessageRenderer("http://t").render(batch)
    assert "2 thông báo" in message.subject
    assert "/dispatches/b" in message.text and "/dispatches/c" in message.text
    assert coalescer.next_due_at() is None


def test_a_new_window_starts_when_a_folded_batch_is_released() -> None:
    clock = FixedClock(DUE)
    coalescer = Coalescer(WINDOW, clock)
    coalescer.offer(_head_note("a"))
    coalescer.offer(_head_note("b"))
    clock.advance(WINDOW)
    assert len(coalescer.due()) == 1
    clock.advance(timedelta(minutes=10))
    assert coalescer.offer(_head_note("c")) is None  # still within the window of the folded message
    clock.advance(timedelta(minutes=20))
    assert [[p.dispatch_id for p in b] for b in coalescer.due()] == [["c"]]
    clock.advance(WINDOW)
    assert coalescer.due() == [] and coalescer.offer(_head_note("d")) is not None


def test_recipients_and_channels_are_limited_separately_and_zero_window_never_folds() -> None:
    clock = FixedClock(DUE)
    coalescer = Coalescer(WINDOW, clock)
    approaching = plan_notifications(signal("approaching"), load_policy(), sample_directory())
    assert len(coalescer.offer_all([_head_note("a"), *approaching])) == 3  # head + unit email + unit hook
    no_fold = Coalescer(timedelta(0), clock)
    assert len(no_fold.offer_all([_head_note("a"), _head_note("b")])) == 2


def test_drain_releases_everything_held() -> None:
    coalescer = Coalescer(WINDOW, FixedClock(DUE))
    coalescer.offer_all([_head_note("a"), _head_note("b"), _head_note("c")])
    assert [[p.dispatch_id for p in b] for b in coalescer.drain()] == [["b", "c"]]
    assert coalescer.drain() == []
