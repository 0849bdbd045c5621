"""A coordinating (phối hợp) unit passes its part on: the tracker says which part it was, and the
unit that receives it reports to the same lead unit (chủ trì), not as a second lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from services.tracker.access import AccessControl
from services.tracker.api import tracker_router
from services.tracker.handlers import TrackerHandlers
from shared import topics
from shared.clock import FixedClock
from shared.events import AssignmentRole, DispatchReassigned, ReassignmentHop, UnitAssignment
from shared.tokens import hash_secret
from shared.workdays import WorkCalendar
from tests.service.tracker_fakes import RecordingBroker, repository_with_one_assignment

NOW = datetime(2024, 2, 10, 3, tzinfo=UTC)
ACCESS = AccessControl(f"QLTM:{hash_secret('qltm')}", f"director:{hash_secret('leader')}")


async def test_a_transferred_coordinating_part_keeps_its_role_and_its_lead_unit() -> None:
    repo, broker = repository_with_one_assignment("acknowledged"), RecordingBroker()
    repo.assignments["d1:QLTM"] |= {"role": "coordinating", "lead_units": ["QLCN"]}
    app = FastAPI()
    app.include_router(tracker_router(repo, broker, ACCESS, FixedClock(NOW)))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tracker") as client:
        answer = await client.post("/dispatches/d1/units/QLTM/responses", headers={
            "Authorization": "Bearer qltm"}, json={"action": "transfer", "transfer_to": "QLNL",
                                                  "note": "thuộc lĩnh vực năng lượng"})
    assert answer.status_code == 202, answer.text
    [responded] = broker.on(topics.UNIT_RESPONDED)
    assert responded.role is AssignmentRole.COORDINATING  # the router keeps the part phối hợp

    handlers = TrackerHandlers(repo, broker, WorkCalendar())  # type: ignore[arg-type]
    await handlers.on_responded([responded])
    moved = DispatchReassigned(
        dispatch_id="d1", correlation_id="d1", from_unit="QLTM", occurred_at=NOW,
        assignment=UnitAssignment(unit_code="QLNL", role=AssignmentRole.COORDINATING,
                                  due_at=NOW + timedelta(days=3)),
        chain=[ReassignmentHop(from_unit="QLTM", to_unit="QLNL", action="transfer", at=NOW)],
        reason="QLTM chuyển: thuộc lĩnh vực năng lượng.")
    await handlers.on_reassigned([moved])
    new = repo.assignments["d1:QLNL"]
    assert (new["role"], new["lead_units"]) == ("coordinating", ["QLCN"])
    assert repo.assignments["d1:QLTM"]["status"] == "transferred"
