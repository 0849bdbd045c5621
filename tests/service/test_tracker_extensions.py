"""Deadline extensions end to end in one process (in-memory store and broker, a fixed clock):
a unit asks through the API, leadership approves, the deadline moves, and the old deadline passes
without an overdue signal while the new one brings it; bad input and outsiders get clear answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from services.tracker.deadline_detector import DeadlineDetector
from shared import topics
from tests.service.extension_world import (
    ASK,
    ASSIGNED_AT,
    LEADER,
    NEW_DUE,
    OLD_DUE,
    QLTM,
    VP,
    World,
    started_world,
)


@pytest.fixture
async def world() -> Any:
    async for w in started_world():
        yield w


async def test_approved_extension_moves_the_deadline_and_the_old_one_passes_silently(
        world: World) -> None:
    world.clock.advance(timedelta(days=2))  # Wednesday
    asked = await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "Chờ số liệu của các huyện"})
    assert asked.status_code == 202, asked.text
    request_id = asked.json()["request_id"]
    await world.consume()

    pending = (await world.client.get("/extension-requests?status=pending", headers=LEADER)).json()
    assert [(r["request_id"], r["unit_code"], r["status"]) for r in pending] == [
        (request_id, "QLTM", "pending")]
    assert pending[0]["reason"] == "Chờ số liệu của các huyện"

    decided = await world.client.post(f"/extension-requests/{request_id}/decision",
                                      headers=LEADER, json={"approve": True, "note": "Đồng ý"})
    assert decided.status_code == 202, decided.text
    await world.consume()

    assignment = world.repo.assignments["d1:QLTM"]
    assert (assignment["due_at"], assignment["original_due_at"], assignment["extensions"]) == (
        NEW_DUE, OLD_DUE, 1)
    assert world.repo.assignments["d1:VP"]["due_at"] == OLD_DUE  # only the unit that asked
    assert (await world.client.get("/extension-requests?status=pending", headers=LEADER)).json() == []
    shown = (await world.client.get(f"/extension-requests/{request_id}", headers=QLTM)).json()
    assert (shown["status"], shown["decided_by"], shown["note"]) == ("approved", "director", "Đồng ý")
    events = [t["event_type"] for t in world.repo.timeline.values() if t["dispatch_id"] == "d1"]
    assert events.count("extension.requested") == events.count("extension.decided") == 1

    # the old deadline and its later levels pass: VP (not extended) is escalated, QLTM is not
    assert world.overdue(await world.at(OLD_DUE)) == [("VP", 1)]
    assert world.overdue(await world.at(OLD_DUE + timedelta(days=3))) == [("VP", 2)]  # Monday
    reminders = await world.at(NEW_DUE - timedelta(days=1))  # Tuesday: one working day before
    assert world.overdue(reminders) == [("VP", 3)]
    assert [(s.unit_code, s.due_at) for s in reminders
            if s.event_type == "assignment.approaching"] == [("QLTM", NEW_DUE)]
    # a replica taking over now loads no timer of the old round either
    other = DeadlineDetector(world.repo, world.broker, world.clock, 1.0)  # type: ignore[arg-type]
    assert world.overdue(await world.at(NEW_DUE - timedelta(minutes=1), other)) == []
    # the new deadline brings the first level, for the new date
    late = await world.at(NEW_DUE)
    assert [(s.unit_code, s.level, s.due_at) for s in late
            if s.event_type == "assignment.overdue"] == [("QLTM", 1, NEW_DUE)]
    assert sorted(c for c in world.repo.claims if c.startswith("d1:QLTM")) == [
        "d1:QLTM:r1:approaching", "d1:QLTM:r1:overdue:1"]  # nothing of the old round


async def test_refusal_changes_nothing_and_the_unit_reads_why(world: World) -> None:
    world.clock.advance(timedelta(days=1))
    request_id = (await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "Thiếu người"})).json()["request_id"]
    await world.consume()
    check_before = world.repo.checks["d1:QLTM"]
    no = await world.client.post(f"/extension-requests/{request_id}/decision", headers=LEADER,
                                 json={"approve": False, "note": "Hạn do UBND tỉnh đặt"})
    assert no.status_code == 202
    await world.consume()
    assert world.repo.assignments["d1:QLTM"]["due_at"] == OLD_DUE
    assert world.repo.checks["d1:QLTM"] is check_before
    mine = (await world.client.get("/extension-requests", headers=QLTM)).json()
    assert [(r["status"], r["note"]) for r in mine] == [("refused", "Hạn do UBND tỉnh đặt")]
    [decision] = world.broker.on(topics.EXTENSION_DECIDED)  # what the notifier tells the unit
    assert (decision.approved, decision.unit_code) == (False, "QLTM")
    assert world.overdue(await world.at(OLD_DUE)) == [("QLTM", 1), ("VP", 1)]
    again = await world.client.post(f"/extension-requests/{request_id}/decision",
                                    headers=LEADER, json={"approve": True})
    assert again.status_code == 409 and "không đồng ý" in again.json()["detail"]


def _loc(response: httpx.Response) -> list[str]:
    return list(response.json()["detail"][0]["loc"])


async def test_bad_requests_are_refused_naming_the_field(world: World) -> None:
    world.clock.advance(timedelta(days=1))
    past = await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": ASSIGNED_AT.isoformat(), "reason": "x"})
    assert past.status_code == 422 and _loc(past) == ["body", "new_due_at"]
    assert "đã qua" in past.json()["detail"][0]["msg"]
    earlier = await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": (OLD_DUE - timedelta(hours=1)).isoformat(), "reason": "x"})
    assert earlier.status_code == 422 and "phải sau hạn hiện tại" in earlier.json()["detail"][0]["msg"]
    no_reason = await world.client.post(ASK, headers=QLTM, json={"new_due_at": NEW_DUE.isoformat(),
                                                                 "reason": ""})
    assert no_reason.status_code == 422 and _loc(no_reason) == ["body", "reason"]
    naive = await world.client.post(ASK, headers=QLTM, json={"new_due_at": "2024-02-21T17:00:00",
                                                             "reason": "x"})
    assert naive.status_code == 422 and _loc(naive) == ["body", "new_due_at"]
    assert (await world.client.post(ASK, headers=VP, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "x"})).status_code == 403  # not VP's to ask
    assert (await world.client.post(ASK.replace("d1", "d2"), headers=QLTM, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "x"})).status_code == 403  # not assigned
    assert world.broker.on(topics.EXTENSION_REQUESTED) == []  # nothing refused was published

    first = await world.client.post(ASK, headers=QLTM, json={"new_due_at": NEW_DUE.isoformat(),
                                                             "reason": "Chờ số liệu"})
    await world.consume()
    second = await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": (NEW_DUE + timedelta(days=1)).isoformat(), "reason": "x"})
    assert second.status_code == 409 and "đang chờ quyết định" in second.json()["detail"]
    request_id = first.json()["request_id"]
    url = f"/extension-requests/{request_id}/decision"
    assert (await world.client.post(url, headers=QLTM, json={"approve": True})).status_code == 403
    assert (await world.client.get(f"/extension-requests/{request_id}", headers=VP)).status_code == 404
    assert (await world.client.post("/extension-requests/nope/decision", headers=LEADER,
                                    json={"approve": True})).status_code == 404
    assert (await world.client.post(url, headers=LEADER, json={"approve": True})).status_code == 202
    await world.consume()
    assert (await world.client.post(url, headers=LEADER, json={"approve": False})).status_code == 409
    beyond = await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": (NEW_DUE + timedelta(days=1)).isoformat(), "reason": "x"})
    assert beyond.status_code == 422 and _loc(beyond) == ["assignment", "extensions"]
    assert "tối đa 1" in beyond.json()["detail"][0]["msg"]


async def test_asked_after_the_deadline_is_refused(world: World) -> None:
    world.clock.advance(OLD_DUE - ASSIGNED_AT)
    late = await world.client.post(ASK, headers=QLTM, json={"new_due_at": NEW_DUE.isoformat(),
                                                            "reason": "x"})
    assert late.status_code == 422 and _loc(late) == ["assignment", "due_at"]
    assert "quá hạn" in late.json()["detail"][0]["msg"]


async def test_a_redelivered_approval_moves_the_deadline_once(world: World) -> None:
    world.clock.advance(timedelta(days=1))
    request_id = (await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "x"})).json()["request_id"]
    await world.consume()
    await world.client.post(f"/extension-requests/{request_id}/decision", headers=LEADER,
                            json={"approve": True})
    world.repo.fail_on = "record"  # crash before the timeline marks the approval applied
    with pytest.raises(ConnectionError):
        await world.handlers.on_decided(world.broker.on(topics.EXTENSION_DECIDED))
    await world.handlers.on_decided(world.broker.on(topics.EXTENSION_DECIDED))  # redelivered
    await world.handlers.on_decided(world.broker.on(topics.EXTENSION_DECIDED))  # and again
    assignment = world.repo.assignments["d1:QLTM"]
    assert (assignment["due_at"], assignment["round"], assignment["extensions"]) == (NEW_DUE, 1, 1)
    assert world.repo.checks["d1:QLTM"].round == 1
    assert world.requests.docs[request_id]["status"] == "approved"
    assert world.broker.on(topics.DEAD_LETTER) == []


async def test_when_kafka_refuses_nothing_is_kept_and_the_answer_is_503(world: World) -> None:
    world.clock.advance(timedelta(days=1))
    world.broker.fail_topic = topics.EXTENSION_REQUESTED
    refused = await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "x"})
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert "gửi lại" in refused.json()["detail"]
    await world.consume()
    assert world.requests.docs == {}
    asked = await world.client.post(ASK, headers=QLTM, json={  # asked again: accepted
        "new_due_at": NEW_DUE.isoformat(), "reason": "x"})
    assert asked.status_code == 202


async def test_of_two_requests_sent_at_once_the_second_is_refused_and_says_why(
        world: World) -> None:
    world.clock.advance(timedelta(days=1))
    first, second = [(await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": (NEW_DUE + timedelta(days=n)).isoformat(), "reason": f"lần {n}"})).json()
        for n in (0, 1)]  # both accepted: neither was recorded yet
    await world.consume()
    shown = (await world.client.get(f"/extension-requests/{first['request_id']}",
                                    headers=QLTM)).json()
    assert shown["status"] == "pending"
    late = await world.client.get(f"/extension-requests/{second['request_id']}", headers=QLTM)
    assert late.json()["status"] == "not_recorded"
    assert "đang chờ quyết định" in late.json()["refused"]
    assert (await world.client.get(f"/extension-requests/{second['request_id']}",
                                   headers=VP)).status_code == 404
    [letter] = world.broker.on(topics.DEAD_LETTER)
    assert "đang chờ quyết định" in letter.reason


async def test_approved_after_the_old_deadline_cancels_the_levels_not_yet_due(world: World) -> None:
    world.clock.advance(timedelta(days=3))  # Thursday: asked in time
    request_id = (await world.client.post(ASK, headers=QLTM, json={
        "new_due_at": NEW_DUE.isoformat(), "reason": "Chờ số liệu"})).json()["request_id"]
    await world.consume()
    assert world.overdue(await world.at(OLD_DUE)) == [("QLTM", 1), ("VP", 1)]  # not decided yet
    world.clock.advance(timedelta(hours=2))
    assert (await world.client.post(f"/extension-requests/{request_id}/decision", headers=LEADER,
                                    json={"approve": True})).status_code == 202
    await world.consume()
    assert world.overdue(await world.at(OLD_DUE + timedelta(days=3))) == [("VP", 2)]  # Monday
    assert world.overdue(await world.at(OLD_DUE + timedelta(days=4))) == [("VP", 3)]
    assert world.overdue(await world.at(NEW_DUE)) == [("QLTM", 1)]  # the new deadline's own
