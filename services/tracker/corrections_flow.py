"""Reviews of parsed fields, from the dashboard's form to the consumer that applies them (issue 18).

A review takes the road of responses: checked against the stored dispatch (the field, the typed
value: :mod:`services.tracker.corrections`), published as ``DispatchCorrected`` and applied when
the tracker consumes it (the dispatch's field, its review mark, the timeline, ``field_reviews``), so
the dispatch keeps one writer. When a field routing depends on changed, the event carries the
dispatch as received with the correction, and the router decides again. Kafka refusing the event:
nothing was written, 503.
"""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from structlog.contextvars import bound_contextvars

from services.tracker import corrections
from services.tracker.corrections import CORRECTABLE, BadValue
from services.tracker.ladder import CLOSED
from services.tracker.repository import TrackerRepository
from services.tracker.repository.corrections import CorrectionsRepository
from services.tracker.writes import WriteBatch
from shared import topics
from shared.clock import Clock
from shared.events import derived_event_id
from shared.events_corrections import DispatchCorrected
from shared.kafka import TRANSIENT_ERRORS, declare_publications, subscribe_table
from shared.logging import get_logger

log = get_logger(__name__)
CLOSED_WORDS = {s.value for s in CLOSED}


class Refused(Exception):
    """A review not accepted: the HTTP status and the reason in words."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class Reviews:
    """Confirming and correcting parsed fields (the dashboard's one path), and applying them."""

    def __init__(self, repo: TrackerRepository, store: CorrectionsRepository, broker: KafkaBroker,
                 clock: Clock) -> None:
        self.repo, self.store, self.broker, self.clock = repo, store, broker, clock

    async def review(self, *, dispatch_id: str, field: str, confirm: bool, typed: str,
                     by: str) -> DispatchCorrected:
        """Check and publish a review, or raise :class:`Refused` (404, 422, 503)."""
        view = await self.repo.dispatch_view(dispatch_id)
        if view is None or "source_system" not in view["dispatch"]:
            raise Refused(404, "Không tìm thấy văn bản")
        if field not in CORRECTABLE:
            raise Refused(422, f"Trường «{field}» không xác nhận hay sửa được.")
        dispatch = view["dispatch"]
        before = dispatch.get(field)
        try:
            after = before if confirm else corrections.parse_value(field, typed)
        except BadValue as bad:
            raise Refused(422, f"{corrections.LABELS.get(field, field)}: {bad}.") from None
        corrected = not confirm and after != before
        now = self.clock.now()
        event_id = derived_event_id("reviewed", dispatch_id, field, by, now.isoformat())
        origin = (dispatch.get("field_origins") or {}).get(field) or {}
        event = DispatchCorrected(
            event_id=event_id, occurred_at=now, correlation_id=dispatch.get("correlation_id")
            or dispatch_id, dispatch_id=dispatch_id, field=field,
            review="corrected" if corrected else "confirmed", before=before, after=after,
            confidence=origin.get("confidence"), corrected_by=by,
            units=[a["unit_code"] for a in view["assignments"] if a.get("status") not in CLOSED_WORDS],
            corrected=corrections.corrected_dispatch(
                dispatch, field, after, derived_event_id("corrected-dispatch", event_id))
            if corrected and corrections.changes_routing(field, before, after) else None)
        try:
            await self.broker.publish(event, topic=topics.DISPATCH_CORRECTED,
                                      key=dispatch_id.encode())
        except TRANSIENT_ERRORS:
            raise Refused(503, "Hệ thống tạm thời không ghi nhận được; vui lòng gửi lại sau ít "
                               "phút.") from None
        return event

    async def on_corrected(self, events: list[DispatchCorrected]) -> None:
        """Apply reviews once each: the stored review, the dispatch's field, the timeline."""
        seen = await self.repo.applied_event_ids([e.event_id for e in events])
        for event in (e for e in events if e.event_id not in seen):
            with bound_contextvars(dispatch_id=event.dispatch_id, event_id=event.event_id):
                dispatch = (await self.repo.dispatches_by_id([event.dispatch_id])).get(
                    event.dispatch_id) or {}
                await self.store.add(event)
                batch = WriteBatch()
                corrections.applied(batch, event, dispatch)
                await self.repo.apply(batch)
                log.info("field reviewed", field=event.field, review=event.review,
                         reroutes=event.reroutes)


def register_reviews(broker: KafkaBroker, max_attempts: int, reviews: Reviews) -> None:
    """Declare and subscribe ``DispatchCorrected`` (the tracker's consumer group)."""
    declare_publications(broker, "tracker", {topics.DISPATCH_CORRECTED: DispatchCorrected})
    subscribe_table(broker, service="tracker", group_id="vanthu-tracker",
                    max_attempts=max_attempts, table={
        topics.DISPATCH_CORRECTED: (DispatchCorrected, reviews.on_corrected)})
