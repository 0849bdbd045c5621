"""In-memory stand-ins for repositories, for handler tests that run without servers."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from shared.events import Attachment


class InMemoryIngestRepository:
    """Behaves like IngestRepository: unique keys, chunk-free blobs."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.origins: dict[str, dict[str, Any]] = {}

    async def create_indexes(self) -> None:
        return None

    async def reserve(self, keys: list[str], dispatch_id: str, event_json: str,
                      request_hash: str) -> bool:
        if any(k in self.keys for k in keys):
            return False
        for k in keys:
            self.keys[k] = {"_id": k, "dispatch_id": dispatch_id, "state": "pending",
                            "event": event_json, "request_hash": request_hash,
                            "created_at": datetime.now(UTC)}
        return True

    async def reserve_many(self, reservations: list[Any]) -> list[bool]:
        return [await self.reserve(r.keys, r.dispatch_id, r.event_json, r.request_hash)
                for r in reservations]

    async def release(self, keys: list[str], dispatch_id: str) -> None:
        for k in keys:
            if self.keys.get(k, {}).get("dispatch_id") == dispatch_id:
                del self.keys[k]

    async def find_key(self, keys: list[str]) -> dict[str, Any] | None:
        doc = next((self.keys[k] for k in keys if k in self.keys), None)
        if doc is not None and doc["dispatch_id"] in self.origins:
            doc = {**doc, "state": "published"}
        return doc

    async def record_published(self, origins: dict[str, dict[str, Any]]) -> None:
        for dispatch_id, origin in origins.items():
            self.origins.setdefault(dispatch_id, origin)

    async def store_blob(self, data: bytes, filename: str, content_type: str,
                         blob_id: str | None = None) -> Attachment:
        blob_id = blob_id or str(uuid.uuid4())
        self.blobs[blob_id] = data
        return Attachment(blob_id=blob_id, filename=filename, content_type=content_type,
                          size=len(data), sha256=hashlib.sha256(data).hexdigest())


class InMemoryRoutingRepository:
    """Behaves like RoutingRepository; ``bodies`` stands for ingest's blob store."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.bodies: dict[str, bytes] = {}
        self.filed: dict[str, Any] = {}  # dispatch id → FiledDocument (the DocumentId index)

    async def stored_body(self, blob_id: str) -> bytes | None:
        return self.bodies.get(blob_id)

    async def record_decision(self, decision: Any, subject: str) -> None:
        self.docs.setdefault(decision.dispatch_id, {"decision": decision, "subject": subject,
                                                    "hops": [], "applied": []})

    async def record_decisions(self, decisions: list[tuple[Any, str]]) -> None:
        for decision, subject in decisions:
            await self.record_decision(decision, subject)

    async def state(self, dispatch_id: str) -> tuple[Any, list[Any], list[str], str | None]:
        doc = self.docs.get(dispatch_id)
        if doc is None:
            return None, [], [], None
        return doc["decision"], list(doc["hops"]), list(doc["applied"]), doc["subject"]

    async def record_hop(self, dispatch_id: str, hop: Any, cause_id: str,
                         decision: Any = None) -> None:
        doc = self.docs.setdefault(dispatch_id, {"decision": None, "subject": None, "hops": [],
                                                 "applied": []})
        if cause_id in doc["applied"]:
            return
        doc["hops"].append(hop)
        doc["applied"].append(cause_id)
        if decision is not None:
            doc["decision"] = decision

    async def file_documents(self, filed: list[Any]) -> None:
        for f in filed:
            self.filed.setdefault(f.dispatch_id, f)

    async def filed_documents(self, document_ids: list[str]) -> list[Any]:
        return [f for f in self.filed.values() if f.document_id in document_ids]

    async def mark_withdrawn(self, dispatch_ids: list[str], by_dispatch_id: str) -> None:
        for i in dispatch_ids:
            self.filed[i] = dataclasses.replace(self.filed[i], withdrawn_by=by_dispatch_id)


def sample_router(broker: Any) -> InMemoryRoutingRepository:
    """Register the router's handlers on ``broker`` with the sample organisation and routing rules
    (``config/``) and an in-memory repository; return the repository."""
    from pathlib import Path

    from services.router.handlers import RouterHandlers, register
    from services.router.rules import load_rules
    from services.router.settings import RouterSettings
    from shared.clock import SystemClock
    from shared.organisation import load_organisation

    config = Path(__file__).resolve().parents[2] / "config"
    org = load_organisation(config / "organisation.sample.yaml")
    repo = InMemoryRoutingRepository()
    register(broker, RouterSettings(), RouterHandlers(
        broker, repo, org, load_rules(config / "routing-rules.yaml", org),  # type: ignore[arg-type]
        SystemClock()))
    return repo
