"""Issue 13 item 3: no escalation vanishes. A renderer that raises, a claim or record write that
fails, a dead letter that cannot be published: each ends as a recorded failure with its step and
reason, a DeadLetter and a NotificationFailed, never as a bare claim."""

from __future__ import annotations

from datetime import timedelta

from services.notifier.coalescing import Coalescer
from services.notifier.delivery import DeadLetterNotice, DeliveryService, RetryPolicy
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.handlers import NotifierHandlers
from services.notifier.holding import HeldNotifications, InMemoryHeldStore
from services.notifier.policy import load_policy
from shared import topics
from shared.clock import FixedClock
from tests.unit.notifier.factories import DUE, sample_directory, signal
from tests.unit.notifier.fakes import BrokenRenderer, FlakyLog, RecordingBroker, SpyChannel

POLICY = load_policy()


async def _no_sleep(_: float) -> None:
    return None


def _level3_email() -> PlannedNotification:
    plans = plan_notifications(signal("overdue", level=3), POLICY, sample_directory())
    return next(p for p in plans if p.channel == "email" and p.reminder_letter)


async def test_a_letter_that_cannot_be_rendered_is_a_recorded_failure_not_a_bare_claim() -> None:
    log, dead = FlakyLog(), []

    async def on_dead(notice: DeadLetterNotice) -> None:
        dead.append(notice)

    channel = SpyChannel()
    service = DeliveryService({"email": channel}, log, BrokenRenderer(), RetryPolicy(),
                              on_dead_letter=on_dead, sleep=_no_sleep)
    plan = _level3_email()
    result = await service.notify([plan])  # before the fix: the renderer's error escaped here
    assert result.status == "dead_letter" and channel.delivered == []
    assert log.status(plan.key) == "failed"
    last = log.last(plan.key)
    assert last is not None and last.step == "render" and "XML compatible" in (last.error or "")
    assert [(n.keys, n.step, n.attempts) for n in dead] == [((plan.key,), "render", 0)]
    assert plan.key in log.reported


async def test_the_handler_publishes_a_dead_letter_and_a_notification_failed_per_key() -> None:
    broker, log = RecordingBroker(), FlakyLog()
    handlers: NotifierHandlers
    service = DeliveryService({"email": SpyChannel(), "webhook": SpyChannel()}, log,
                              BrokenRenderer(), on_dead_letter=lambda n: handlers.dead_letter_notice(n),
                              sleep=_no_sleep)
    held = HeldNotifications(Coalescer(timedelta(0), FixedClock(DUE)), InMemoryHeldStore())
    handlers = NotifierHandlers(POLICY, sample_directory(), held, service,  # type: ignore[arg-type]
                                broker, FixedClock(DUE))
    await handlers.on_signals([signal("overdue", level=3)])
    keys = {p.key for p in plan_notifications(signal("overdue", level=3), POLICY, sample_directory())}
    assert {k for k in keys if log.status(k) != "failed"} == set()
    failed = broker.on(topics.NOTIFICATION_FAILED)
    assert {e.keys[0] for e in failed} == keys
    assert all((e.dispatch_id, e.unit_code, e.kind, e.level, e.step) ==
               ("cv-0001", "QLTM", "overdue", 3, "render") for e in failed)
    assert {e.occurred_at for e in failed} == {DUE}  # the notifier's clock (a demo's simulated time)
    letters = broker.on(topics.DEAD_LETTER)
    assert len(letters) == len(keys) and all(d.reason.startswith("render: cannot render")
                                             for d in letters)
    assert {k for _, _, k in broker.published} == {b"cv-0001"}


async def test_in_a_folded_batch_only_the_broken_item_fails_and_the_others_go() -> None:
    log, channel = FlakyLog(), SpyChannel()
    service = DeliveryService({"email": channel}, log, BrokenRenderer({"bad"}), sleep=_no_sleep)
    plans = [next(p for p in plan_notifications(signal("overdue", dispatch_id=d), POLICY,
                                                sample_directory()) if p.channel == "email")
             for d in ("good-1", "bad", "good-2")]
    result = await service.notify(plans)
    assert result.status == "delivered" and result.keys == (plans[0].key, plans[2].key)
    assert [f.keys for f in result.failures] == [(plans[1].key,)]
    assert [log.status(p.key) for p in plans] == ["delivered", "failed", "delivered"]
    assert len(channel.delivered) == 1


async def test_a_claim_that_keeps_failing_is_given_up_and_reported_not_dropped() -> None:
    log, dead, channel = FlakyLog(claim_failures=-1), [], SpyChannel()

    async def on_dead(notice: DeadLetterNotice) -> None:
        dead.append(notice)

    service = DeliveryService({"email": channel}, log, BrokenRenderer(set()),
                              RetryPolicy(store_attempts=3), on_dead_letter=on_dead, sleep=_no_sleep)
    result = await service.notify([_level3_email()])
    assert result.status == "dead_letter" and channel.delivered == []
    assert [(n.step, n.attempts) for n in dead] == [("claim", 0)]
    assert "could not claim" in dead[0].reason and "FerretDB unreachable" in dead[0].reason


async def test_record_writes_are_retried_and_an_outcome_that_cannot_be_written_is_reported() -> None:
    log, channel = FlakyLog(record_failures=2), SpyChannel()
    service = DeliveryService({"email": channel}, log, BrokenRenderer(set()), sleep=_no_sleep)
    plan = _level3_email()
    assert (await service.notify([plan])).status == "delivered" and log.status(plan.key) == "delivered"

    log, dead = FlakyLog(record_failures=-1, record_fails_on={"delivered"}), []

    async def on_dead(notice: DeadLetterNotice) -> None:
        dead.append(notice)

    service = DeliveryService({"email": channel}, log, BrokenRenderer(set()), on_dead_letter=on_dead,
                              sleep=_no_sleep)
    await service.notify([plan])
    assert [n.step for n in dead] == ["record"] and "sent (attempt 1)" in dead[0].reason
    assert log.status(plan.key) == "failed" and plan.key in log.reported
