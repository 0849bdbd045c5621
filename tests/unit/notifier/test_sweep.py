"""The stale-claim sweep: a claim left without an outcome by a crashed notifier becomes a reported
failure after the lease; nothing is resent; an unreported failure is reported."""

from __future__ import annotations

from datetime import timedelta

from services.notifier.delivery import DeadLetterNotice, DeliveryService
from services.notifier.delivery_log import InMemoryDeliveryLog
from services.notifier.escalation import plan_notifications
from services.notifier.policy import load_policy
from services.notifier.sweep import ClaimSweeper
from shared.clock import FixedClock
from tests.unit.notifier.factories import DUE, sample_directory, signal
from tests.unit.notifier.fakes import BrokenRenderer, SpyChannel

LEASE = timedelta(minutes=10)
KEY = "cv-1/QLTM/overdue-L3/deputy:PGD1/email"


def _parts() -> tuple[FixedClock, InMemoryDeliveryLog, list[DeadLetterNotice], ClaimSweeper]:
    clock, reported = FixedClock(DUE), []
    log = InMemoryDeliveryLog(now=clock.now)

    async def report(notice: DeadLetterNotice) -> None:
        reported.append(notice)

    return clock, log, reported, ClaimSweeper(log, log, report, clock, LEASE)


async def test_a_claim_without_an_attempt_becomes_a_reported_failure_after_the_lease() -> None:
    clock, log, reported, sweeper = _parts()
    await log.claim(KEY)  # ... and the notifier died before sending
    clock.advance(LEASE - timedelta(seconds=1))
    assert await sweeper.sweep() == [] and log.status(KEY) == "claimed"  # still within its lease
    clock.advance(timedelta(seconds=2))
    [notice] = await sweeper.sweep()
    assert (notice.keys, notice.step, notice.attempts, notice.recipient_id, notice.channel) == (
        (KEY,), "claim", 0, "deputy:PGD1", "email")
    assert "never attempted" in notice.reason and "not resent" in notice.reason
    assert log.status(KEY) == "failed" and KEY in log.reported
    assert await sweeper.sweep() == [] and reported == [notice]


async def test_a_delivery_left_retrying_is_swept_and_a_finished_one_is_not() -> None:
    clock, log, _reported, sweeper = _parts()
    for key in (KEY, "cv-2/VP/approaching/unit:VP/email"):
        await log.claim(key)
    await log.record_attempt(KEY, 1, "retrying", "SMTP 451")
    await log.record_attempt("cv-2/VP/approaching/unit:VP/email", 1, "delivered", None)
    clock.advance(LEASE * 2)
    [notice] = await sweeper.sweep()
    assert notice.keys == (KEY,) and notice.attempts == 1 and "retrying after 1 attempts" in notice.reason


async def test_a_failure_whose_report_was_lost_is_reported_by_the_sweep() -> None:
    clock, log, _reported, sweeper = _parts()

    async def kafka_down(_: DeadLetterNotice) -> None:
        raise ConnectionError("Kafka is down")

    service = DeliveryService({"email": SpyChannel()}, log, BrokenRenderer(), on_dead_letter=kafka_down)
    plan = next(p for p in plan_notifications(signal("overdue", level=3), load_policy(),
                                              sample_directory()) if p.channel == "email")
    assert (await service.notify([plan])).status == "dead_letter"
    assert log.status(plan.key) == "failed" and plan.key not in log.reported
    clock.advance(LEASE * 2)
    [notice] = await sweeper.sweep()
    assert notice.step == "render" and "XML compatible" in notice.reason
    assert plan.key in log.reported and await sweeper.sweep() == []


async def test_a_report_that_fails_during_the_sweep_is_tried_again_next_time() -> None:
    clock, log, _reported, _ = _parts()
    calls: list[int] = []

    async def flaky(notice: DeadLetterNotice) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("Kafka is down")

    sweeper = ClaimSweeper(log, log, flaky, clock, LEASE)
    await log.claim(KEY)
    clock.advance(LEASE * 2)
    assert await sweeper.sweep() == [] and KEY not in log.reported
    clock.advance(timedelta(seconds=30))
    assert await sweeper.sweep() == []  # within the grace: an immediate report may be under way
    clock.advance(timedelta(seconds=31))
    assert [n.step for n in await sweeper.sweep()] == ["claim"] and KEY in log.reported
