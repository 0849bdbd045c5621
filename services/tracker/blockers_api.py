"""The blockers' HTTP API (issue 16): a unit reports a blocker, leadership lists and directs them.

- ``POST /dispatches/{id}/units/{unit}/blockers`` (the unit's token; body ``note``) → 202 with the
  ``blocker_id``; the Office and the deputy in charge are told at once;
- ``GET /blockers?status=open`` (leadership: every unit; a unit: its own) → the blockers, with how
  long each has waited, in seconds and in words;
- ``GET /blockers/{blocker_id}`` → one blocker;
- ``POST /blockers/{blocker_id}/direction`` (leadership; body ``direction``) → the direction and the
  wait; 409 naming the reason when the blocker already has its direction.
"""


from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from services.tracker import blockers as rules
from services.tracker.access import AccessControl, Caller
from services.tracker.blockers import BlockerStatus
from services.tracker.blockers_flow import BlockerDesk, BlockerRefused
from shared.safe_text import MultiLine


class BlockerIn(BaseModel):
    """A unit's blocker (khó khăn, vướng mắc)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: Annotated[str, MultiLine(rules.NOTE_MAX, min_length=1)]


class DirectionIn(BaseModel):
    """Leadership's direction (ý kiến chỉ đạo)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    direction: Annotated[str, MultiLine(rules.NOTE_MAX, min_length=1)]


def _http(refused: BlockerRefused) -> HTTPException:
    if refused.field is None:
        return HTTPException(refused.status, detail=refused.reason)
    return HTTPException(refused.status, detail=[{
        "loc": ["body", refused.field], "type": "value_error", "msg": refused.reason}])


def blockers_router(desk: BlockerDesk, access: AccessControl,
                    names: dict[str, str] | None = None) -> APIRouter:
    """Routes of blockers and directions."""
    router = APIRouter(tags=["blockers"])

    def caller(authorization: Annotated[str | None, Header()] = None) -> Caller:
        return access.caller(authorization)

    Who = Annotated[Caller, Depends(caller)]

    def shown(blocker: rules.Blocker) -> Any:
        return jsonable_encoder(rules.row(blocker, desk.clock.now(), desk.calendar, names))

    @router.post("/dispatches/{dispatch_id}/units/{unit_code}/blockers", status_code=202)
    async def report(dispatch_id: str, unit_code: str, body: BlockerIn, who: Who) -> Any:
        """Report a blocker on your unit's assignment; the Office and the deputy are told."""
        try:
            blocker, event_id = await desk.report(
                dispatch_id=dispatch_id, unit_code=unit_code, caller_unit=who.unit_code,
                note=body.note, reported_by=who.name)
        except BlockerRefused as refused:
            raise _http(refused) from None
        url = f"/blockers/{blocker.id}"
        return JSONResponse(status_code=202, headers={"Location": url}, content={
            "blocker_id": blocker.id, "event_id": event_id, "status": blocker.status.value,
            "url": url})

    @router.get("/blockers")
    async def listed(who: Who, status: Annotated[BlockerStatus | None, Query()] = None,
                     dispatch_id: str | None = None, unit_code: str | None = None) -> Any:
        """Blockers (``status=open``: waiting for a direction, oldest first)."""
        if not who.leadership:
            if unit_code is not None and unit_code != who.unit_code:
                raise HTTPException(403, detail="you may see only your own unit's blockers")
            unit_code = who.unit_code
        found = await desk.store.listed(status=status, dispatch_id=dispatch_id,
                                        unit_code=unit_code)
        return {"blockers": [shown(b) for b in found], "count": len(found)}

    @router.get("/blockers/{blocker_id}")
    async def one(blocker_id: str, who: Who) -> Any:
        """One blocker, with its direction if it has one."""
        blocker = await desk.store.blocker(blocker_id)
        if blocker is None or not who.may_see_unit(blocker.unit_code):
            raise HTTPException(404, detail="no such blocker of your unit")
        return shown(blocker)

    @router.post("/blockers/{blocker_id}/direction")
    async def direction(blocker_id: str, body: DirectionIn, who: Who) -> Any:
        """Leadership's direction on an open blocker; it reaches the unit."""
        if not who.leadership:
            raise HTTPException(403, detail="only leadership gives directions on blockers")
        try:
            answered, event = await desk.direct(blocker_id=blocker_id, direction=body.direction,
                                                directed_by=who.name)
        except BlockerRefused as refused:
            raise _http(refused) from None
        return {**shown(answered), "event_id": event.event_id}

    return router
