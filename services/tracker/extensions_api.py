"""HTTP routes of deadline extensions (xin gia hạn): a unit asks, leadership lists and decides.

- ``POST /dispatches/{id}/units/{unit}/extension-requests`` (the unit itself): ``new_due_at``,
  ``reason``; ``202`` with the ``request_id`` (accepted for processing, like a response);
- ``GET /extension-requests?status=pending`` (leadership: every unit's; a unit: its own);
- ``GET /extension-requests/{request_id}`` (leadership, or the unit that asked);
- ``POST /extension-requests/{request_id}/decision`` (leadership): ``approve``, ``note``.

A refusal answers in words: ``403`` for someone outside the unit or leadership, ``404`` for an
unknown request, ``409`` for a request already decided (or one already pending), ``422`` naming the
field and the reason (after the deadline, a date past or not after the current deadline, over the
cap).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.tracker.access import AccessControl, Caller
from services.tracker.extensions import STATUS_WORDS, ExtensionRequest, Refusal, RequestStatus
from services.tracker.extensions_flow import Extensions, NotAllowed
from shared.events import AwareDatetime
from shared.safe_text import MultiLine


class ExtensionRequestIn(BaseModel):
    """A unit's request for a later deadline."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    new_due_at: AwareDatetime = Field(description="The deadline asked for (with its timezone).")
    reason: Annotated[str, MultiLine(4000, min_length=1)] = Field(description="Why (lý do).")


class DecisionIn(BaseModel):
    """Leadership's decision on a request."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    approve: bool
    note: Annotated[str, MultiLine(4000)] | None = Field(default=None,
                                                          description="Words to the unit.")


def refused(refusal: Refusal) -> HTTPException:
    """The HTTP answer of a refusal (a 422 names the field at fault as FastAPI does)."""
    if refusal.status == 422:
        return HTTPException(422, detail=[{"loc": list(refusal.loc or ("body",)),
                                           "type": "value_error", "msg": refusal.reason}])
    headers = {"Retry-After": "5"} if refusal.status == 503 else None
    return HTTPException(refusal.status, detail=refusal.reason, headers=headers)


def shown(request: ExtensionRequest) -> dict[str, Any]:
    """A request as the API shows it."""
    doc = request.as_doc()
    doc["request_id"] = doc.pop("_id")
    doc["status_words"] = STATUS_WORDS[request.status]
    return dict(jsonable_encoder(doc))


def extensions_router(extensions: Extensions, access: AccessControl) -> APIRouter:
    """Routes for units (ask) and leadership (list, decide)."""
    router = APIRouter(tags=["extensions"])

    def caller(authorization: Annotated[str | None, Header()] = None) -> Caller:
        return access.caller(authorization)

    Who = Annotated[Caller, Depends(caller)]

    @router.post("/dispatches/{dispatch_id}/units/{unit_code}/extension-requests",
                 status_code=202)
    async def ask(dispatch_id: str, unit_code: str, body: ExtensionRequestIn, who: Who) -> Any:
        """Ask, before the deadline, for a later one (xin gia hạn), with a reason."""
        if who.unit_code != unit_code:
            raise HTTPException(403, detail="chỉ đơn vị được giao mới xin gia hạn được")
        try:
            event = await extensions.ask(dispatch_id=dispatch_id, unit_code=unit_code,
                                         new_due_at=body.new_due_at, reason=body.reason,
                                         requested_by=who.name)
        except NotAllowed as no:
            raise refused(no.refusal) from None
        url = f"/extension-requests/{event.request_id}"
        return JSONResponse(status_code=202, headers={"Location": url}, content={
            "request_id": event.request_id, "state": "accepted", "status_url": url,
            "current_due_at": event.current_due_at.isoformat(),
            "new_due_at": event.new_due_at.isoformat()})

    @router.get("/extension-requests")
    async def listed(who: Who, status: Annotated[RequestStatus | None, Query()] = None,
                     limit: int = Query(200, ge=1, le=2000)) -> Any:
        """Requests (``status=pending``: those waiting for a decision, the longest waiting first);
        leadership sees every unit's, a unit its own."""
        rows = await extensions.requests.listed(
            status=status, unit_code=None if who.leadership else who.unit_code, limit=limit)
        return [shown(r) for r in rows]

    @router.get("/extension-requests/{request_id}")
    async def one(request_id: str, who: Who) -> Any:
        """One request and its decision, if any; a request the tracker refused when it received
        it (another one was recorded first) is ``not_recorded``, with the reason."""
        unknown = HTTPException(404, detail=f"không có (hoặc chưa ghi nhận) đề nghị gia hạn "
                                            f"{request_id}")
        request = await extensions.requests.request(request_id)
        if request is not None:
            if not who.may_see_unit(request.unit_code):
                raise unknown
            return shown(request)
        entry = await extensions.repo.timeline_entry(request_id)
        if entry is None or entry.event_type != "extension.requested" or \
                not entry.details.get("refused") or \
                not who.may_see_unit(str(entry.details.get("unit_code"))):
            raise unknown
        return jsonable_encoder({
            "request_id": request_id, "dispatch_id": entry.dispatch_id,
            "unit_code": entry.details.get("unit_code"), "status": "not_recorded",
            "status_words": "không được ghi nhận", "refused": entry.details["refused"],
            "new_due_at": entry.details.get("new_due_at"), "reason": entry.details.get("reason")})

    @router.post("/extension-requests/{request_id}/decision", status_code=202)
    async def decide(request_id: str, body: DecisionIn, who: Who) -> Any:
        """Approve (the deadline moves, its reminders and escalations follow) or refuse."""
        if not who.leadership:
            raise HTTPException(403, detail="chỉ lãnh đạo mới quyết định gia hạn")
        try:
            event = await extensions.decide(request_id=request_id, approve=body.approve,
                                            note=body.note, decided_by=who.name)
        except NotAllowed as no:
            raise refused(no.refusal) from None
        return JSONResponse(status_code=202, content={
            "request_id": request_id, "event_id": event.event_id, "state": "accepted",
            "approved": event.approved, "status_url": f"/extension-requests/{request_id}"})

    return router
