"""An in-memory stand-in for the tracker's repository and a broker that can fail, for handler and
API tests that run without servers."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from aiokafka.errors import KafkaTimeoutError

from services.tracker.ladder import CLOSED, Status
from services.tracker.records import AcceptedResponse, AssignmentRecord, CheckRecord, TimelineEntry
from services.tracker.writes import WriteBatch

Doc = dict[str, Any]


class InMemoryTrackerRepository:
    """Behaves like TrackerRepository for what the handlers, the API and the dashboard use.

    ``fail_on`` names a method that raises once (a crash at that point of a handler).
    """

    def __init__(self) -> None:
        self.dispatches: dict[str, Doc] = {}
        self.assignments: dict[str, Doc] = {}
        self.timeline: dict[str, Doc] = {}
        self.closures: set[str] = set()
        self.accepted: dict[str, Doc] = {}
        self.sessions: dict[str, Doc] = {}
        self.files: dict[str, bytes] = {}
        self.fail_on: str | None = None

    def _maybe_fail(self, name: str) -> None:
        if self.fail_on == name:
            self.fail_on = None
            raise ConnectionError(f"crash in {name}")

    async def applied_event_ids(self, event_ids: list[str]) -> set[str]:
        return {i for i in event_ids if i in self.timeline}

    async def assignment(self, assignment_id: str) -> AssignmentRecord | None:
        doc = self.assignments.get(assignment_id)
        return None if doc is None else AssignmentRecord.from_doc(copy.deepcopy(doc))

    async def set_assignment(self, assignment_id: str, fields: Doc) -> None:
        self._maybe_fail("set_assignment")
        self.assignments[assignment_id].update(fields)

    async def close_check(self, assignment_id: str, round_: int) -> None:
        self._maybe_fail("close_check")
        self.closures.add(f"{assignment_id}:r{round_}")

    async def record(self, entry: TimelineEntry) -> None:
        self._maybe_fail("record")
        self.timeline.setdefault(entry.event_id, entry.as_doc())

    async def apply(self, batch: WriteBatch) -> int:
        dupes = 0
        for entry in batch.timeline:
            dupes += entry.event_id in self.timeline
            self.timeline.setdefault(entry.event_id, entry.as_doc())
        for new in batch.assignments:  # an insert refuses a duplicate: the first one stays
            self.assignments.setdefault(new.id, {"_id": new.id, "round": 0, **new.fields})
        return dupes

    async def accept_response(self, response: AcceptedResponse) -> None:
        self.accepted.setdefault(response.event_id, response.as_doc())

    async def accepted_response(self, event_id: str) -> AcceptedResponse | None:
        doc = self.accepted.get(event_id)
        return None if doc is None else AcceptedResponse.from_doc(doc)

    async def timeline_entry(self, event_id: str) -> TimelineEntry | None:
        doc = self.timeline.get(event_id)
        return None if doc is None else TimelineEntry.from_doc(doc)

    def _newest(self, rows: list[Doc], limit: int) -> list[Doc]:
        return sorted(rows, key=lambda t: t["occurred_at"], reverse=True)[:limit]

    async def applied_handoffs(self, limit: int) -> list[Doc]:
        return self._newest([t for t in self.timeline.values()
                             if t["event_type"] == "assignment.responded" and "refused" not in t
                             and t.get("action") in ("decline", "transfer")], limit)

    async def failed_notifications(self, limit: int) -> list[Doc]:
        return self._newest([t for t in self.timeline.values()
                             if t["event_type"] == "notification.failed"], limit)

    async def original_file(self, blob_id: str) -> bytes | None:
        return self.files.get(blob_id)

    async def dispatch_view(self, dispatch_id: str) -> Doc | None:
        assignments = [a for a in self.assignments.values() if a["dispatch_id"] == dispatch_id]
        if dispatch_id not in self.dispatches and not assignments:
            return None
        timeline = sorted((t for t in self.timeline.values() if t["dispatch_id"] == dispatch_id),
                          key=lambda t: t["occurred_at"])
        return {"dispatch": self.dispatches.get(dispatch_id, {"_id": dispatch_id}),
                "assignments": assignments, "timeline": timeline}

    async def assignments_list(self, *, unit_code: str | None = None,
                               dispatch_id: str | None = None, assigned_since: Any = None,
                               open_only: bool = False, limit: int = 5000) -> list[Doc]:
        return [a for a in self.assignments.values()
                if unit_code in (None, a.get("unit_code")) and dispatch_id in (None, a["dispatch_id"])
                and (assigned_since is None
                     or (a.get("assigned_at") is not None and a["assigned_at"] >= assigned_since))
                and not (open_only and Status(a["status"]) in CLOSED)][:limit]

    async def disputed_count(self) -> int:
        return sum(1 for d in self.dispatches.values() if d.get("disputed") is True)

    async def checks_of(self, dispatch_id: str) -> list[CheckRecord]:
        return []

    async def fired_signals(self, check: CheckRecord) -> list[str]:
        return []

    async def dispatches_by_id(self, ids: Iterable[str]) -> dict[str, Doc]:
        return {i: self.dispatches[i] for i in ids if i in self.dispatches}

    async def decisions_by_id(self, ids: Iterable[str]) -> dict[str, Doc]:
        return {}

    async def create_session(self, session: Doc) -> None:
        self.sessions[session["_id"]] = session

    async def session(self, id_hash: str) -> Doc | None:
        return self.sessions.get(id_hash)

    async def delete_session(self, id_hash: str) -> None:
        self.sessions.pop(id_hash, None)

    async def delete_expired_sessions(self, now: Any) -> None:
        self.sessions = {k: v for k, v in self.sessions.items() if v["expires_at"] > now}


class RecordingBroker:
    """Records what is published; ``fail_topic`` makes the next publish to that topic fail once."""

    def __init__(self) -> None:
        self.published: list[tuple[str, Any]] = []
        self.fail_topic: str | None = None

    async def publish(self, message: Any, *, topic: str, key: bytes | None = None,
                      **_: Any) -> None:
        if self.fail_topic == topic:
            self.fail_topic = None
            raise KafkaTimeoutError()
        self.published.append((topic, message))

    def on(self, topic: str) -> list[Any]:
        return [m for t, m in self.published if t == topic]


ONE_DUE_AT = datetime(2024, 2, 16, 10, tzinfo=UTC)
"""The deadline of :func:`repository_with_one_assignment`'s assignment."""


def repository_with_one_assignment(status: str = "received") -> InMemoryTrackerRepository:
    """A repository holding one assignment, ``d1:QLTM`` (dispatch d1, unit QLTM), in ``status``."""
    repo = InMemoryTrackerRepository()
    repo.assignments["d1:QLTM"] = {"_id": "d1:QLTM", "dispatch_id": "d1", "unit_code": "QLTM",
                                   "status": status, "round": 0, "due_at": ONE_DUE_AT}
    return repo
