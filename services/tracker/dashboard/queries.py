"""Read-only queries of the dashboard over the tracker's collections (never writes).

The tracker's :class:`~services.tracker.repository.TrackerRepository` owns the collections; the
dashboard only reads them, through the repository's query methods.
"""

from __future__ import annotations

from typing import Any

from services.tracker import letter
from services.tracker.repository import TrackerRepository

Doc = dict[str, Any]
HEAD_FIELDS = {"subject": 1, "number": 1, "notation": 1, "broadcast": 1, "disputed": 1}
ASSIGNMENT_LIMIT = 200_000
"""As many assignments as ``GET /reports/on-time`` reads."""


class DashboardQueries:
    """What the dashboard pages read."""

    def __init__(self, repo: TrackerRepository) -> None:
        self._repo = repo

    async def assignments(self, unit_code: str | None = None) -> list[Doc]:
        """Every assignment (or one unit's)."""
        return await self._repo.assignments_list(unit_code=unit_code or None,
                                                 limit=ASSIGNMENT_LIMIT)

    async def heads(self, dispatch_ids: list[str]) -> dict[str, Doc]:
        """Subject, number and notation of the given dispatches, by id."""
        if not dispatch_ids:
            return {}
        heads = await self._repo.dispatches_by_id(sorted(set(dispatch_ids)))
        decisions = await self._repo.decisions_by_id(sorted(set(dispatch_ids)))
        return {i: {k: v for k, v in {**decisions.get(i, {}), **heads.get(i, {})}.items()
                    if k in HEAD_FIELDS or k == "_id"}
                for i in set(heads) | set(decisions)}

    async def disputed_count(self) -> int:
        """Dispatches the tracker marked disputed (from ``vanthu.dispatch.disputed.v1``)."""
        return await self._repo.disputed_count()

    async def handoffs(self) -> dict[str, int]:
        """Per dispatch, how many declines and transfers the tracker applied (from the timeline)."""
        counts: dict[str, int] = {}
        for doc in await self._repo.applied_handoffs(limit=ASSIGNMENT_LIMIT):
            counts[doc["dispatch_id"]] = counts.get(doc["dispatch_id"], 0) + 1
        return counts

    async def failed_notifications(self, limit: int = 500) -> list[Doc]:
        """Notifications the notifier gave up on (from ``vanthu.notification.failed.v1``), newest
        first."""
        return await self._repo.failed_notifications(limit=limit)

    async def dispatch(self, dispatch_id: str) -> Doc | None:
        """A dispatch with its assignments and timeline, plus its deadline checks (fired signals)."""
        view = await self._repo.dispatch_view(dispatch_id)
        if view is None:
            return None
        view["checks"] = [{"_id": check.id, "unit_code": check.unit_code, "schedule": check.schedule,
                           "round": check.round, "fired": await self._repo.fired_signals(check)}
                          for check in await self._repo.checks_of(dispatch_id)]
        return view

    async def original(self, dispatch_id: str, blob_id: str) -> tuple[Doc, bytes] | None:
        """One of the dispatch's own attached files (metadata, bytes), or None
        (:func:`services.tracker.letter.read_original`)."""
        view = await self._repo.dispatch_view(dispatch_id)
        return await letter.read_original(self._repo, (view or {}).get("dispatch") or {}, blob_id)

    async def text(self, dispatch: Doc) -> str | None:
        """The letter's text (:func:`services.tracker.letter.read_text`): its body, or the body
        ingest stored apart."""
        return await letter.read_text(self._repo, dispatch)
