"""The tracker's HTTP surface: units answer their assignments; everyone queries what they may see.

Units send responses here; the tracker publishes them as ``UnitResponded`` events and applies them
when it consumes them, so HTTP, CLI and direct producers all take the same path. A 202 therefore
means "accepted for processing" (a conflicting response may be applied first); the answer names the
``result_url`` where the unit reads whether its response was applied or refused, and why.
"""

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, PlainTextResponse
from faststream.kafka import KafkaBroker
from pydantic import BaseModel, ConfigDict, Field

from services.tracker import reports
from services.tracker.access import AccessControl, Caller
from services.tracker.repository import TrackerRepository
from services.tracker.submitting import Answer, NotAccepted, submit_response
from shared import topics
from shared.clock import Clock, OffsetClock
from shared.events import AssignmentOverridden, AwareDatetime, ResponseAction
from shared.safe_text import MultiLine, SingleLine  # text rules: issue 13 item 4


class ResponseIn(BaseModel):
    """A unit's answer to its assignment."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    action: ResponseAction
    note: Annotated[str, MultiLine(4000)] | None = Field(default=None, description="Reply or reason.")
    transfer_to: Annotated[str, SingleLine(40)] | None = Field(
        default=None, description="For decline/transfer: who should handle it.")


class OverrideIn(BaseModel):
    """Leadership's decision on who handles a dispatch."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lead_unit: Annotated[str, SingleLine(40, min_length=1)]
    coordinating_units: list[Annotated[str, SingleLine(40)]] = Field(
        default_factory=list, max_length=50)
    due_at: AwareDatetime | None = None
    reason: Annotated[str, MultiLine(2000, min_length=1)]


class ClockAdvance(BaseModel):
    """Move the tracker's clock forward."""

    seconds: float = Field(gt=0, le=3660 * 86400, description="At most ten years.")


def tracker_router(repo: TrackerRepository, broker: KafkaBroker, access: AccessControl,
                   clock: Clock) -> APIRouter:
    """Routes for units and leadership."""
    router = APIRouter()

    def caller(authorization: Annotated[str | None, Header()] = None) -> Caller:
        return access.caller(authorization)

    Who = Annotated[Caller, Depends(caller)]

    async def visible_dispatch(dispatch_id: str, who: Caller) -> dict[str, Any]:
        view = await repo.dispatch_view(dispatch_id)
        if view is None:
            raise HTTPException(404, detail=f"dispatch {dispatch_id} is not (yet) tracked")
        if not (who.leadership or any(a["unit_code"] == who.unit_code for a in view["assignments"])):
            raise HTTPException(403, detail="this dispatch is not assigned to your unit")
        return view

    @router.get("/dispatches/{dispatch_id}", tags=["queries"])
    async def get_dispatch(dispatch_id: str, who: Who) -> Any:
        """A dispatch with its assignments and timeline."""
        return jsonable_encoder(await visible_dispatch(dispatch_id, who))

    @router.get("/dispatches/{dispatch_id}/matrix", tags=["queries"])
    async def matrix(dispatch_id: str, who: Who) -> Any:
        """Units × status of a (broadcast) dispatch: replied on time, late, not yet."""
        view = await visible_dispatch(dispatch_id, who)
        return jsonable_encoder(reports.broadcast_matrix(view["assignments"], clock.now()))

    @router.get("/units/{unit_code}/worklist", tags=["queries"])
    async def worklist(unit_code: str, who: Who, soon_days: int = Query(2, ge=0, le=60)) -> Any:
        """A unit's open assignments: overdue, due soon, open."""
        if not who.may_see_unit(unit_code):
            raise HTTPException(403, detail="you may see only your own unit's worklist")
        rows = await repo.assignments_list(unit_code=unit_code)
        return jsonable_encoder(reports.worklist(rows, clock.now(), timedelta(days=soon_days)))

    @router.get("/reports/on-time", tags=["queries"], response_model=None)
    async def on_time(who: Who, days: int = Query(30, ge=1, le=3660),
                      format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Per unit over the last ``days``: received, on time, late, open overdue, on-time rate."""
        now = clock.now()
        window = await repo.assignments_list(
            assigned_since=now - timedelta(days=days),
            unit_code=None if who.leadership else who.unit_code, limit=200_000)
        rows = reports.on_time_report(window, now)
        if format == "csv":
            return PlainTextResponse(reports.as_csv(rows), media_type="text/csv")
        return rows

    @router.get("/reports/digest", tags=["queries"])
    async def digest(who: Who, days: int = Query(30, ge=1, le=366)) -> Any:
        """What the leadership digest needs: open assignments, and the per-unit on-time rows over
        the assignments made in the last ``days`` (the same rows as ``/reports/on-time``)."""
        if not who.leadership:
            raise HTTPException(403, detail="only leadership receives the digest")
        now = clock.now()
        open_rows = await repo.assignments_list(open_only=True, limit=200_000)
        window = await repo.assignments_list(assigned_since=now - timedelta(days=days),
                                             limit=200_000)
        heads = await repo.dispatches_by_id({a["dispatch_id"] for a in open_rows})
        return jsonable_encoder(reports.digest_figures(open_rows, window, heads, now))

    @router.post("/dispatches/{dispatch_id}/units/{unit_code}/responses", status_code=202,
                 tags=["responses"])
    async def respond(dispatch_id: str, unit_code: str, body: ResponseIn, who: Who) -> Any:
        """Acknowledge, report progress, complete, decline or transfer your unit's assignment."""
        if who.unit_code != unit_code:
            raise HTTPException(403, detail="a unit may answer only its own assignments")
        try:
            done = await submit_response(repo, broker, clock, dispatch_id=dispatch_id,
                                         unit_code=unit_code, answer=Answer(**body.model_dump()),
                                         responded_by=who.name)
        except NotAccepted as refused:
            if refused.field is None:
                raise HTTPException(refused.status, detail=refused.reason) from None
            raise HTTPException(refused.status, detail=[{
                "loc": ["body", refused.field], "type": "missing", "msg": refused.reason}]) from None
        return JSONResponse(status_code=202, headers={"Location": done.result_url}, content={
            "event_id": done.event_id, "state": "accepted", "action": done.action,
            "requested": done.requested, "result_url": done.result_url})

    @router.get("/dispatches/{dispatch_id}/units/{unit_code}/responses/{event_id}",
                tags=["responses"])
    async def response_result(dispatch_id: str, unit_code: str, event_id: str, who: Who) -> Any:
        """What became of a response: ``pending``, ``applied`` (with the status it set) or
        ``refused`` (with the reason). Readable by the unit that sent it and by leadership."""
        if not who.may_see_unit(unit_code):
            raise HTTPException(403, detail="you may see only your own unit's responses")
        unknown = HTTPException(404, detail="no such response of this unit on this dispatch")
        outcome = await repo.timeline_entry(event_id)
        if outcome is None:
            accepted = await repo.accepted_response(event_id)
            if accepted is None or (accepted.dispatch_id, accepted.unit_code) != (dispatch_id,
                                                                                  unit_code):
                raise unknown
            return {"event_id": event_id, "action": accepted.action, "state": "pending",
                    "requested": accepted.requested}
        details = outcome.details
        if "action" not in details or (outcome.dispatch_id, details.get("unit_code")) != (
                dispatch_id, unit_code):
            raise unknown
        result = {"event_id": event_id, "action": details["action"]}
        if details.get("refused"):
            return {**result, "state": "refused", "reason": details["refused"]}
        return {**result, "state": "applied", "status": details["status"],
                "applied_at": jsonable_encoder(outcome.occurred_at)}

    @router.post("/dispatches/{dispatch_id}/override", status_code=202, tags=["responses"])
    async def override(dispatch_id: str, body: OverrideIn, who: Who) -> Any:
        """Leadership decides who handles the dispatch; this wins over rules and bounces."""
        if not who.leadership:
            raise HTTPException(403, detail="only leadership may override an assignment")
        await visible_dispatch(dispatch_id, who)
        event = AssignmentOverridden(correlation_id=dispatch_id, dispatch_id=dispatch_id,
                                     occurred_at=clock.now(), decided_by=who.name,
                                     **body.model_dump())
        await broker.publish(event, topic=topics.ASSIGNMENT_OVERRIDDEN, key=dispatch_id.encode())
        return {"event_id": event.event_id}

    return router


def clock_router(clock: OffsetClock) -> APIRouter:
    """Routes that move the clock (only mounted when TRACKER_CLOCK_CONTROL is on)."""
    router = APIRouter(tags=["clock"])

    @router.get("/clock")
    async def get_clock() -> dict[str, Any]:
        return {"now": clock.now().isoformat(), "offset_s": clock.offset.total_seconds()}

    @router.post("/clock/advance")
    async def advance(body: ClockAdvance) -> dict[str, Any]:
        clock.advance(timedelta(seconds=body.seconds))
        return {"now": clock.now().isoformat(), "offset_s": clock.offset.total_seconds()}

    return router
