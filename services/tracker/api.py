"""The tracker's HTTP queries, and the test/demo clock control."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from services.tracker.repository import TrackerRepository
from shared.clock import OffsetClock


class ClockAdvance(BaseModel):
    """Move the tracker's clock forward."""

    seconds: float = Field(gt=0, le=3660 * 86400, description="At most ten years.")


def query_router(repo: TrackerRepository) -> APIRouter:
    """Routes that read the tracker's state."""
    router = APIRouter(tags=["queries"])

    @router.get("/dispatches/{dispatch_id}")
    async def get_dispatch(dispatch_id: str) -> Any:
        view = await repo.dispatch_view(dispatch_id)
        if view is None:
            raise HTTPException(404, detail=f"dispatch {dispatch_id} is not (yet) tracked")
        return jsonable_encoder(view)

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
