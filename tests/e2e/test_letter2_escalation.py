"""Letter 2 through all four services on a simulated clock starting the day it was sent (06/02/2024).

Units report to the Office "trước ngày 16/2/2024", with Tết in between. Some reply on time, one late,
some never: the director's level-3 copies name exactly the units that never replied. Finally every
event of the dispatch is replayed from offset 0, and the tracker's records do not change.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient, MongoClient

from services.ingest.parsing.edxml_status import read_status
from services.tracker.handlers import TrackerHandlers
from services.tracker.repository import TrackerRepository
from shared import topics
from shared.clock import VIETNAM_TZ
from shared.events import DispatchAssigned, DispatchReassigned, DispatchReceived, UnitResponded
from shared.workdays import WorkCalendar
from tests.e2e.conftest import API_KEY, LEADER, Stack, unit_auth
from tests.kafka_reader import read_topic
from tools.fleet import wait_for
from tools.sinks import read_mail

pytestmark = pytest.mark.infra
LETTER_2 = Path(__file__).resolve().parents[1] / "unit" / "parsing" / "fixtures" / "s02.txt"
DIRECTOR = "giamdoc@sct.example.gov.vn"
NEVER = {"KHTC", "TTRA", "QLNL", "KTATMT"}


def _jump_to(stack: Stack, local: datetime) -> None:
    now = datetime.fromisoformat(httpx.get(f"{stack.url('tracker')}/clock").json()["now"])
    stack.advance((local - now).total_seconds())


def _director_l3(stack: Stack) -> list[str]:
    return [m.get_body(("plain",)).get_content() for m in read_mail(stack.sink_dir / "mail")
            if DIRECTOR in m["X-Envelope-To"] and "mức 3" in m["Subject"]]


def _named(bodies: list[str]) -> set[str]:
    return {u for u in ("VP", "QLTM", "QLCN", *NEVER) for b in bodies if f"({u})" in b}


def _status(stack: Stack, dispatch_id: str, unit: str) -> str | None:
    view = stack.view(dispatch_id) or {}
    return {a["unit_code"]: a["status"] for a in view.get("assignments", [])}.get(unit)


def test_letter_2_escalates_to_the_director_for_the_units_that_never_replied(
    start_stack: Callable[..., Stack],
) -> None:
    stack = start_stack(CLOCK_EPOCH=datetime.now(UTC).isoformat(),
                        CLOCK_START="2024-02-06T08:00:00+07:00")
    dispatch_id = stack.post_dispatch(body=LETTER_2.read_text())
    assert wait_for(lambda: len((stack.view(dispatch_id) or {}).get("assignments", [])) == 7,
                    timeout=40), "letter 2 should reach every unit of the sample organisation"
    view = stack.view(dispatch_id)
    assert view is not None
    roles = {a["unit_code"]: a["role"] for a in view["assignments"]}
    assert roles.pop("VP") == "lead" and set(roles.values()) == {"coordinating"}
    assert {datetime.fromisoformat(a["due_at"]).astimezone(VIETNAM_TZ).date().isoformat()
            for a in view["assignments"]} == {"2024-02-16"}

    for unit in ("VP", "QLTM"):
        assert stack.respond(dispatch_id, unit, "acknowledge").status_code == 202
        assert wait_for(lambda u=unit: stack.respond(dispatch_id, u, "complete",
                                                     note="Đã gửi báo cáo").status_code == 202, 10)
    assert stack.respond(dispatch_id, "KHTC", "acknowledge").status_code == 202
    assert wait_for(lambda: _status(stack, dispatch_id, "KHTC") == "acknowledged", 10)
    assert stack.respond(dispatch_id, "KHTC", "acknowledge").status_code == 409  # not twice
    for_another = httpx.post(
        f"{stack.url('tracker')}/dispatches/{dispatch_id}/units/TTRA/responses",
        json={"action": "complete"}, headers=unit_auth("VP"), timeout=10)
    assert for_another.status_code == 403  # VP may not answer for Thanh tra

    assert wait_for(lambda: all(_status(stack, dispatch_id, u) == "completed"
                                for u in ("VP", "QLTM")), 15)
    _jump_to(stack, datetime(2024, 2, 17, 9, 0, tzinfo=VIETNAM_TZ))
    assert wait_for(lambda: any(n["kind"] == "overdue-L1" and n["unit_code"] == "QLCN"
                                for n in stack.notifications(dispatch_id)), timeout=30)
    assert stack.respond(dispatch_id, "QLCN", "complete", note="Gửi muộn").status_code == 202
    assert wait_for(lambda: _status(stack, dispatch_id, "QLCN") == "completed", 15)

    _jump_to(stack, datetime(2024, 2, 21, 9, 0, tzinfo=VIETNAM_TZ))
    assert wait_for(lambda: _named(_director_l3(stack)) >= NEVER, timeout=60), \
        "the director should get a level-3 copy for each unit that never replied"
    time.sleep(1.0)  # a few more scans: nothing else may arrive
    assert _named(_director_l3(stack)) == NEVER

    statuses = httpx.get(f"{stack.url('ingest')}/dispatches/{dispatch_id}/edxml-status",
                         headers={"X-API-Key": API_KEY}, timeout=10).json()
    told = {(m.department, m.status.value)
            for m in (read_status(s["xml"].encode()) for s in statuses)}
    assert {("VP", "03"), ("VP", "06"), ("QLTM", "06"), ("QLCN", "06")} <= told
    assert not any(unit in NEVER and code == "06" for unit, code in told)

    matrix = {row["unit_code"]: row["reply"] for row in httpx.get(
        f"{stack.url('tracker')}/dispatches/{dispatch_id}/matrix", headers=LEADER).json()}
    assert matrix == {"VP": "on_time", "QLTM": "on_time", "QLCN": "late",
                      **dict.fromkeys(NEVER, "overdue")}

    report = {r["unit_code"]: r for r in httpx.get(
        f"{stack.url('tracker')}/reports/on-time", headers=LEADER, timeout=10).json()}
    assert (report["VP"]["completed_on_time"], report["VP"]["on_time_rate"]) == (1, 1.0)
    assert (report["QLCN"]["completed_late"], report["QLCN"]["on_time_rate"]) == (1, 0.0)
    assert all(report[u]["open_overdue"] == 1 for u in NEVER)
    csv_text = httpx.get(f"{stack.url('tracker')}/reports/on-time", params={"format": "csv"},
                         headers=LEADER, timeout=10).text
    assert csv_text.startswith("unit_code,received,") and len(csv_text.splitlines()) == 8

    sent = httpx.post(f"{stack.url('notifier')}/digest", headers=LEADER, timeout=30)
    assert sent.status_code == 200 and "delivered" in sent.json()["sent"]
    [digest] = [m for m in read_mail(stack.sink_dir / "mail")
                if DIRECTOR in m["X-Envelope-To"] and "Tình hình xử lý" in m["Subject"]]
    assert f"{len(NEVER)} quá hạn" in digest["Subject"]

    stack.fleet.stop("tracker")  # nothing else writes now: replaying must change nothing
    database = stack.fleet.env["MONGODB_DATABASE"]
    before = _snapshot(stack.fleet.env["MONGODB_URL"], database, dispatch_id)
    replayed = asyncio.run(_replay_from_offset_zero(stack.fleet.env, dispatch_id))
    assert replayed == 1 + 1 + 6  # received, assigned (7 units), and the six responses
    assert _snapshot(stack.fleet.env["MONGODB_URL"], database, dispatch_id) == before


def _snapshot(url: str, database: str, dispatch_id: str) -> dict[str, list[dict[str, object]]]:
    with MongoClient(url, tz_aware=True) as client:
        db = client[database]
        return {name: sorted(db[name].find({"$or": [{"_id": dispatch_id},
                                                    {"dispatch_id": dispatch_id}]}),
                             key=lambda d: str(d["_id"]))
                for name in ("dispatches", "assignments", "timeline", "deadline_checks")}


async def _replay_from_offset_zero(env: dict[str, str], dispatch_id: str) -> int:
    """Feed every tracker-bound event of the dispatch, from offset 0, through the handlers again."""
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(env["MONGODB_URL"], tz_aware=True)
    broker = KafkaBroker(env["KAFKA_BOOTSTRAP_SERVERS"])
    await broker.start()
    handlers = TrackerHandlers(TrackerRepository(client[env["MONGODB_DATABASE"]]), broker,
                               WorkCalendar())
    count = 0
    try:
        for topic, model, handle in (
                (topics.DISPATCH_RECEIVED, DispatchReceived, handlers.on_received),
                (topics.DISPATCH_ASSIGNED, DispatchAssigned, handlers.on_assigned),
                (topics.DISPATCH_REASSIGNED, DispatchReassigned, handlers.on_reassigned),
                (topics.UNIT_RESPONDED, UnitResponded, handlers.on_responded)):
            raw = await read_topic(env["KAFKA_BOOTSTRAP_SERVERS"], topic)
            events = [model.model_validate(m) for m in raw if m.get("dispatch_id") == dispatch_id]
            await handle(events)  # type: ignore[operator]
            count += len(events)
    finally:
        await broker.stop()
        await client.close()
    return count
