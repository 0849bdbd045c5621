"""Ingest's HTTP routes: upstream systems submit documents (công văn đến) here. Routes only.

Every route needs the system's ``X-API-Key``. A submission (JSON, a file, or a batch of JSON
documents) is read, built into a dispatch (:mod:`services.ingest.dispatch_builder`) and admitted
(:mod:`services.ingest.admission`): answered ``202`` only after Kafka has acknowledged it
(acks=all); a known one gets ``200`` with its original id; if Kafka cannot take it, ``503`` with
``Retry-After``. A batch is admitted as a batch, each document with its own answer
(:mod:`services.ingest.batch`).
"""


import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from services.ingest.admission import Admission, Candidate, Outcome
from services.ingest.batch import admit_batch
from services.ingest.dispatch_builder import (
    Blob,
    DispatchBuilder,
    Refused,
    read_body,
    read_fields,
    upload_parts,
)
from services.ingest.extraction import Extractor, extractor_for
from services.ingest.idempotency import request_fingerprint
from services.ingest.parsing import ParsedDocument, ParseError
from services.ingest.parsing.errors import DocumentOverCap, ExtractionLimit
from services.ingest.parsing.reading import Reading
from services.ingest.payloads import Accepted, BatchIn, BatchItemResult, DispatchIn, DispatchMeta
from services.ingest.repository import IngestRepository
from services.ingest.settings import IngestSettings
from shared.clock import Clock
from shared.tokens import TokenRegistry

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Accepted, "description": "Already known: the original dispatch_id."},
    401: {"description": "Missing or unknown X-API-Key."},
    413: {"description": "Body too large, or the dispatch would be over Kafka's message size "
                          "(detail names the largest field)."},
    415: {"description": "Wrong content type."},
    422: {"description": "Invalid fields, or an unreadable document, or one over a cap "
                          "(type document_over_cap or extraction_limit, loc ['file'])."},
    503: {"description": "Not accepted (no dispatch_id), or not confirmed by Kafka (with the "
                          "dispatch_id: retry the same request to learn the outcome)."},
}


def dispatch_router(settings: IngestSettings, admission: Admission,
                    repo: IngestRepository, clock: Clock,
                    extractor: Extractor | None = None) -> APIRouter:
    """Routes that take submissions in and admit their dispatches."""
    registry = TokenRegistry.parse(settings.ingest_api_keys)
    extractor = extractor or extractor_for(settings)
    builder = DispatchBuilder(settings, clock)
    router = APIRouter(tags=["dispatches"])

    async def upstream_system(x_api_key: Annotated[str | None, Header()] = None) -> str:
        """The caller's system (async: FastAPI runs a plain ``def`` dependency in a thread)."""
        system = registry.identify(x_api_key)
        if system is None:
            raise HTTPException(401, detail="missing or unknown X-API-Key",
                                headers={"WWW-Authenticate": "ApiKey"})
        return system

    System = Annotated[str, Depends(upstream_system)]
    IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]

    def answer(request: Request, outcome: Outcome) -> JSONResponse:
        if outcome.status in (200, 202):
            body = Accepted(dispatch_id=outcome.dispatch_id or "",
                            status_url=f"{settings.ingest_tracker_url}/dispatches/"
                                       f"{outcome.dispatch_id}",
                            duplicate=outcome.status == 200,
                            parsed_fields=getattr(request.state, "parsed_fields", []),
                            read_fields=getattr(request.state, "read_fields", {}))
            return JSONResponse(body.model_dump(), status_code=outcome.status)
        headers = {"Retry-After": "5"} if outcome.status == 503 else None
        return JSONResponse({"detail": outcome.detail, "dispatch_id": outcome.dispatch_id},
                            status_code=outcome.status, headers=headers)

    async def submit(request: Request, system: str, stated: dict[str, Any],
                     parsed: ParsedDocument | None, body: str | None, files: list[Blob],
                     fingerprint: str, idem: str | None = None) -> Outcome:
        """Build the submission's dispatch and admit it; raises :class:`Refused` (422/413)."""
        dispatch = builder.build(system, stated, parsed, body, files, fingerprint, idem,
                                 request.headers.get("X-Correlation-ID"))
        outcome = await admission.admit(dispatch.event, dispatch.keys, fingerprint, dispatch.blobs)
        request.state.dispatch_id = outcome.dispatch_id
        request.state.parsed_fields = dispatch.event.parsed_fields
        return outcome

    async def submit_one(request: Request, system: str, stated: dict[str, Any],
                         parsed: ParsedDocument | None, body: str | None, files: list[Blob],
                         fingerprint: str, idem: str | None) -> JSONResponse:
        """One document's answer: a refusal is the 422/413 that names the field."""
        try:
            outcome = await submit(request, system, stated, parsed, body, files, fingerprint, idem)
        except Refused as exc:
            raise HTTPException(exc.status, detail=exc.detail) from exc
        return answer(request, outcome)

    @router.post("/dispatches", status_code=202, response_model=Accepted, responses=RESPONSES)
    async def post_dispatch(request: Request, payload: DispatchIn, system: System,
                            idem: IdemKey = None) -> JSONResponse:
        """Send one document as JSON: metadata, and/or its full text for the parser to read."""
        stated = payload.model_dump(exclude={"body"})
        parsed = await asyncio.to_thread(read_body, payload.body)  # up to 1 MB: not on the loop
        return await submit_one(request, system, stated, parsed, payload.body, [],
                                request_fingerprint(await request.body()), idem)

    @router.post("/dispatches/upload", status_code=202, response_model=Accepted,
                 responses=RESPONSES)
    async def upload_dispatch(
        request: Request, system: System,
        file: Annotated[UploadFile, File(description="TXT, PDF, DOCX or edXML")],
        metadata: Annotated[str | None, Form(description="DispatchMeta as JSON")] = None,
        idem: IdemKey = None,
    ) -> JSONResponse:
        """Send one document as a file; the parser reads its fields, stated metadata wins."""
        try:
            meta = DispatchMeta.model_validate_json(metadata) if metadata else DispatchMeta()
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            raise HTTPException(
                422, detail=[{**e, "loc": ["metadata", *e["loc"]]} for e in errors]) from exc
        data = await file.read()
        name = file.filename or "document"
        reading = await read_upload(data, name, file.content_type)
        parsed, text = reading.parsed_document(), reading.text
        if reading.document_id and not meta.document_id:
            meta = meta.model_copy(update={"document_id": reading.document_id})
        if meta.subject is None and (parsed is None or parsed.subject is None):
            raise HTTPException(422, detail=[{"loc": ["file"], "type": "missing_subject",
                                              "msg": "no subject (trích yếu) found; state it"}])
        upload = Blob.of(data, name, file.content_type or "application/octet-stream")
        fingerprint = request_fingerprint(upload.attachment.sha256.encode() + b"|" +
                                          (metadata or "").encode())
        package, files = upload_parts(reading, upload)  # an edXML package's details and files
        request.state.read_fields = read_fields(parsed)
        return await submit_one(request, system, {**meta.model_dump(), **package}, parsed, text,
                                files, fingerprint, idem)

    async def read_upload(data: bytes, name: str, content_type: str | None) -> Reading:
        """The file read by a bounded worker; a cap or a limit is a 422 that names it."""
        try:
            return await extractor.read(data, name, content_type)
        except DocumentOverCap as exc:
            raise HTTPException(422, detail=[{
                "loc": ["file"], "type": "document_over_cap", "msg": str(exc),
                "ctx": {"cap": exc.cap, "limit": exc.limit, "found": exc.found}}]) from exc
        except ExtractionLimit as exc:
            raise HTTPException(422, detail=[{
                "loc": ["file"], "type": "extraction_limit", "msg": str(exc),
                "ctx": {"limit": exc.limit, "value": exc.value}}]) from exc
        except ParseError as exc:
            raise HTTPException(422, detail=[{"loc": ["file"], "msg": str(exc),
                                              "type": "unreadable_document"}]) from exc

    @router.post("/dispatches/batch", responses={**RESPONSES, 207: {"model": list[BatchItemResult]}})
    async def post_batch(request: Request, batch: BatchIn, system: System) -> JSONResponse:
        """Send several documents; each gets its own outcome (202 new, 200 known, 413/422 refused
        with the field and the reason, 503 not accepted)."""
        correlation = request.headers.get("X-Correlation-ID")

        def one(doc: DispatchIn, parsed: ParsedDocument | None) -> Candidate:
            fingerprint = request_fingerprint(doc.model_dump_json().encode())
            dispatch = builder.build(system, doc.model_dump(exclude={"body"}), parsed, doc.body,
                                     [], fingerprint, None, correlation)
            return Candidate(dispatch.event, dispatch.keys, fingerprint, dispatch.blobs)

        try:
            status, results = await admit_batch(batch.documents, one, admission,
                                                settings.ingest_batch_max_items)
        except Refused as exc:
            raise HTTPException(exc.status, detail=exc.detail) from exc
        return JSONResponse([r.model_dump() for r in results], status_code=status)

    @router.get("/dispatches/{dispatch_id}/edxml-status", tags=["dispatches"])
    async def edxml_status(dispatch_id: str, system: System) -> JSONResponse:
        """edXML status messages (03, 04, 05, 06) about a document this system sent."""
        origin = await repo.origin(dispatch_id)
        if origin is None or origin.get("source_system") != system:
            raise HTTPException(404, detail="no document of yours with this dispatch_id")
        statuses = await repo.statuses(dispatch_id)
        return JSONResponse([{"event_id": s["_id"], "at": s["at"].isoformat(), "xml": s["xml"]}
                             for s in statuses])

    return router
