"""The router's MongoDB repository: per dispatch, the current decision and the chain of hops.

One document per dispatch (``routing``); events of one dispatch share a Kafka partition, so one
consumer at a time writes it. ``applied`` lists the events already folded in, for idempotency.
The dispatches that carry an edXML DocumentId are indexed by it (``documents``), so a later package
revoking or replacing that document finds them (:mod:`services.router.exchange`).
A letter's body too large to travel inline is read back from ingest's blob store
(:mod:`shared.blobs`, read only).
"""

from __future__ import annotations

import contextlib
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.router.exchange import FiledDocument
from services.router.model import RoutingDecision
from services.router.reassignment import Hop
from shared.blobs import BlobStore

Doc = dict[str, Any]
DUPLICATE_KEY = 11000


class RoutingRepository:
    """Reads and writes ``routing``; reads stored bodies."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.routing = db["routing"]
        self.documents = db["documents"]
        self.files = BlobStore(db)

    async def create_indexes(self) -> None:
        """The index finding dispatches by DocumentId."""
        await self.documents.create_index([("document_id", ASCENDING)])

    async def file_documents(self, filed: list[FiledDocument]) -> None:
        """Index dispatches by DocumentId, once each (a redelivery keeps the first entry)."""
        if not filed:
            return
        try:
            await self.documents.insert_many([{
                "_id": f.dispatch_id, "document_id": f.document_id,
                "source_system": f.source_system, "subject": f.subject, "number": f.number,
                "notation": f.notation, "withdrawn_by": None} for f in filed], ordered=False)
        except BulkWriteError as exc:
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise

    async def filed_documents(self, document_ids: list[str]) -> list[FiledDocument]:
        """The indexed dispatches whose DocumentId is one of ``document_ids``."""
        if not document_ids:
            return []
        found = self.documents.find({"document_id": {"$in": list(document_ids)}})
        return [FiledDocument(
            dispatch_id=str(d["_id"]), document_id=str(d["document_id"]),
            source_system=str(d.get("source_system") or ""), subject=d.get("subject"),
            number=d.get("number"), notation=d.get("notation"), withdrawn_by=d.get("withdrawn_by"))
            async for d in found]

    async def mark_withdrawn(self, dispatch_ids: list[str], by_dispatch_id: str) -> None:
        """Record that the package ``by_dispatch_id`` withdrew these dispatches."""
        if dispatch_ids:
            await self.documents.update_many({"_id": {"$in": dispatch_ids}},
                                             {"$set": {"withdrawn_by": by_dispatch_id}})

    async def stored_body(self, blob_id: str) -> bytes | None:
        """The bytes of a body stored by ingest (``body_ref``), or None if unknown or incomplete.
        A MongoDB failure raises: the message is then retried, never routed without its body."""
        return await self.files.get(blob_id)

    async def record_decision(self, decision: RoutingDecision, subject: str) -> None:
        """Keep the first decision for a dispatch (a redelivery changes nothing). An insert, not
        an upsert: one write, and FerretDB v1 runs an upsert as a read then a write."""
        with contextlib.suppress(DuplicateKeyError):
            await self.routing.insert_one({
                "_id": decision.dispatch_id, "decision": decision.model_dump(mode="json"),
                "subject": subject, "hops": [], "applied": []})

    async def record_decisions(self, decisions: list[tuple[RoutingDecision, str]]) -> None:
        """Keep the first decision for each dispatch of a batch ``(decision, subject)``, in one
        unordered insert: a dispatch already decided (a redelivery) is refused by its ``_id`` and
        keeps its first decision, the others are inserted all the same."""
        if not decisions:
            return
        try:
            await self.routing.insert_many([{
                "_id": d.dispatch_id, "decision": d.model_dump(mode="json"), "subject": subject,
                "hops": [], "applied": []} for d, subject in decisions], ordered=False)
        except BulkWriteError as exc:
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise

    async def state(self, dispatch_id: str) -> tuple[RoutingDecision | None, list[Hop], list[str],
                                                     str | None]:
        """(decision, hops, applied event ids, subject) of a dispatch."""
        doc = await self.routing.find_one({"_id": dispatch_id})
        if doc is None:
            return None, [], [], None
        decision = RoutingDecision.model_validate(doc["decision"]) if doc.get("decision") else None
        return (decision, [Hop.model_validate(h) for h in doc.get("hops", [])],
                list(doc.get("applied", [])), doc.get("subject"))

    async def record_hop(self, dispatch_id: str, hop: Hop, cause_id: str,
                         decision: RoutingDecision | None = None) -> None:
        """Append a hop (and the new decision, after an override), once per causing event."""
        _, hops, applied, _ = await self.state(dispatch_id)
        if cause_id in applied:
            return
        fields: Doc = {"hops": [h.model_dump(mode="json") for h in [*hops, hop]],
                       "applied": [*applied, cause_id][-200:]}
        if decision is not None:
            fields["decision"] = decision.model_dump(mode="json")
        await self.routing.update_one({"_id": dispatch_id}, {"$set": fields}, upsert=True)
