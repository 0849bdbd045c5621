"""Ingest's HTTP surface: upstream systems POST dispatches (công văn đến) here.

A dispatch is answered ``202`` only after Kafka has acknowledged the write (acks=all); if Kafka
cannot take it, the answer is ``503`` with ``Retry-After``, never a silent loss.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Annotated

from aiokafka.errors import KafkaError
from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from pydantic import BaseModel, ConfigDict, Field
from structlog.contextvars import bound_contextvars

from shared import topics
from shared.events import AwareDatetime, DispatchReceived
from shared.logging import get_logger

log = get_logger(__name__)
PUBLISH_TIMEOUT_S = 15.0

Text = Annotated[str, Field(min_length=1, max_length=500)]


class DispatchIn(BaseModel):
    """A dispatch as an upstream system sends it. Unknown fields are refused (422)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: str = Field(min_length=1, max_length=2000, description="Trích yếu.")
    issuer: Text | None = Field(default=None, description="Cơ quan ban hành.")
    number: Annotated[str, Field(max_length=20)] | None = Field(default=None, description="Số.")
    notation: Annotated[str, Field(max_length=60)] | None = Field(
        default=None, description="Ký hiệu, e.g. SCT-VP."
    )
    doc_type: Annotated[str, Field(max_length=60)] | None = Field(
        default=None, description="Loại văn bản."
    )
    issued_on: date | None = Field(default=None, description="Ngày ban hành.")
    recipients: list[Text] = Field(default_factory=list, max_length=200, description="Kính gửi.")
    due_at: AwareDatetime | None = Field(
        default=None, description="Deadline stated by the document, with timezone."
    )
    body: str | None = Field(default=None, max_length=500_000, description="Full text.")


class Accepted(BaseModel):
    """The answer to an accepted dispatch."""

    dispatch_id: str
    status_url: str


def dispatch_router(broker: KafkaBroker, tracker_base_url: str) -> APIRouter:
    """Return the routes that accept dispatches and publish them to Kafka."""
    router = APIRouter(tags=["dispatches"])
    publisher = broker.publisher(topics.DISPATCH_RECEIVED, title="ingest:received")

    @router.post(
        "/dispatches",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=Accepted,
        responses={503: {"description": "Kafka unavailable; retry after the given seconds."}},
    )
    async def post_dispatch(payload: DispatchIn, request: Request) -> JSONResponse:
        dispatch_id = str(uuid.uuid4())
        event = DispatchReceived(
            correlation_id=request.headers.get("X-Correlation-ID") or dispatch_id,
            dispatch_id=dispatch_id,
            source_system="anonymous",
            body_chars=len(payload.body or ""),
            **payload.model_dump(),
        )
        with bound_contextvars(dispatch_id=dispatch_id, event_id=event.event_id):
            try:
                await asyncio.wait_for(
                    publisher.publish(event, key=dispatch_id.encode()), PUBLISH_TIMEOUT_S
                )
            except (KafkaError, TimeoutError, ConnectionError) as exc:
                log.error("kafka unavailable, dispatch refused", error=repr(exc))
                return JSONResponse(
                    {"detail": "Kafka is unavailable; the dispatch was NOT accepted. Retry."},
                    status_code=503, headers={"Retry-After": "5"},
                )
            log.info("dispatch accepted", body_chars=event.body_chars)
        accepted = Accepted(
            dispatch_id=dispatch_id, status_url=f"{tracker_base_url}/dispatches/{dispatch_id}"
        )
        return JSONResponse(accepted.model_dump(), status_code=status.HTTP_202_ACCEPTED)

    return router
