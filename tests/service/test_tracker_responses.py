"""Two conflicting responses sent at once: both are accepted for processing (202 says no more),
exactly one is applied, and the other is visible to the unit afterwards as refused, with the reason.

Before the fix each 202 announced the status its response would reach, which only one could.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from services.tracker.access import AccessControl
from services.tracker.api import tracker_router
from services.tracker.handlers import TrackerHandlers
from shared import topics
from shared.clock import FixedClock
from shared.tokens import hash_secret
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import (
    RecordingBroker,
    repository_with_one_assignment,
)

NOW = datetime(2024, 2, 10, 3, tzinfo=UTC)
ACCESS = AccessControl(f"QLTM:{hash_secret('qltm')},VP:{hash_secret('vp')}",
                       f"director:{hash_secret('leader')}")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_conflicting_responses_one_applied_the_other_refused_and_visible() -> None:
    repo, broker = repository_with_one_assignment("acknowledged"), RecordingBroker()
    app = FastAPI()
    app.include_router(tracker_router(repo, broker, ACCESS, FixedClock(NOW)))  # type: ignore[arg-type]
    handlers = TrackerHandlers(repo, broker, WorkCalendar())  # type: ignore[arg-type]
    url = "/dispatches/d1/units/QLTM/responses"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tracker") as client:
        done, declined = await asyncio.gather(
            client.post(url, json={"action": "complete", "note": "Đã gửi"}, headers=_auth("qltm")),
            client.post(url, json={"action": "decline", "transfer_to": "VP",
                                   "note": "không thuộc chức năng"}, headers=_auth("qltm")))
        answers = [done.json(), declined.json()]
        assert [done.status_code, declined.status_code] == [202, 202]
        for answer, requested in zip(answers, ("completed", "declined"), strict=True):
            assert answer["state"] == "accepted" and answer["requested"] == requested
            assert "status" not in answer  # no promise of a status it may not reach
            assert answer["result_url"] == f"{url}/{answer['event_id']}"

        async def result(answer: dict[str, Any], token: str = "qltm") -> httpx.Response:
            return await client.get(answer["result_url"], headers=_auth(token))

        assert [(await result(a)).json()["state"] for a in answers] == ["pending", "pending"]

        await handlers.on_responded(broker.on(topics.UNIT_RESPONDED))  # the consumer runs

        outcomes = [(await result(a)).json() for a in answers]
        assert sorted(o["state"] for o in outcomes) == ["applied", "refused"]  # whichever came first
        won = 0 if outcomes[0]["state"] == "applied" else 1
        winner, loser = answers[won], answers[1 - won]
        assert outcomes[won]["status"] == winner["requested"]
        reason = f"already {winner['requested']}"
        assert reason in outcomes[1 - won]["reason"]
        assert (await result(loser, "leader")).json() == outcomes[1 - won]  # leadership too
        assert (await result(loser, "vp")).status_code == 403  # not another unit
        assert (await client.get(f"{url}/{'0' * 8}", headers=_auth("qltm"))).status_code == 404
        assert (await client.get(f"/dispatches/d1/units/QLTM/responses/{answers[0]['event_id']}"
                                 .replace("d1", "d2"), headers=_auth("qltm"))).status_code == 404

        timeline = (await client.get("/dispatches/d1", headers=_auth("qltm"))).json()["timeline"]
        refused = [t for t in timeline if t["_id"] == loser["event_id"]]
        assert refused and reason in refused[0]["refused"]  # the unit sees it
    assert repo.assignments["d1:QLTM"]["status"] == winner["requested"]
    [letter] = broker.on(topics.DEAD_LETTER)
    assert reason in letter.reason
