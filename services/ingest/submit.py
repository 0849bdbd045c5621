"""One submission, from what was sent to an outcome: build and check the event, then accept it.

Everything that can refuse a document (validation 422, size 413) happens before anything is
stored; blobs (the uploaded file, a large body) are written only once the submission's keys are
reserved for this very event, so a refused or already-known document leaves no blob and no pending
reservation behind.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import HTTPException, Request
from pydantic import ValidationError

from services.ingest.accept import DispatchAcceptor, Outcome
from services.ingest.event_size import oversize_error
from services.ingest.idempotency import (
    edxml_key,
    fingerprint_key,
    idempotency_key,
    natural_key,
)
from services.ingest.intake import merge_parsed
from services.ingest.parsing import ParsedDocument
from services.ingest.settings import IngestSettings
from shared.clock import Clock
from shared.events import Attachment, DispatchReceived

BODY_BLOB = ("body.txt", "text/plain; charset=utf-8")


class BlobStore(Protocol):
    """What a submission needs from the repository."""

    async def store_blob(self, data: bytes, filename: str, content_type: str,
                         blob_id: str | None = None) -> Attachment: ...


@dataclass(frozen=True)
class Blob:
    """A file to store if, and only if, the submission is accepted."""

    data: bytes
    attachment: Attachment

    @classmethod
    def of(cls, data: bytes, filename: str, content_type: str) -> Blob:
        """Describe ``data`` under a fresh blob id (nothing is stored yet)."""
        return cls(data, Attachment(blob_id=str(uuid.uuid4()), filename=filename,
                                    content_type=content_type, size=len(data),
                                    sha256=hashlib.sha256(data).hexdigest()))


class Submitter:
    """Turns one document into a ``DispatchReceived`` and hands it to the acceptor."""

    def __init__(self, settings: IngestSettings, acceptor: DispatchAcceptor, repo: BlobStore,
                 clock: Clock) -> None:
        self._settings, self._acceptor, self._repo, self._clock = settings, acceptor, repo, clock

    async def submit(self, request: Request, system: str, stated: dict[str, Any],
                     parsed: ParsedDocument | None, body: str | None, files: Sequence[Blob],
                     fingerprint: str, idem: str | None = None) -> Outcome:
        """Accept the document once; raises ``HTTPException`` 422/413 for a bad or huge one."""
        fields = merge_parsed(stated, parsed)
        blobs = list(files)
        if body and len(body.encode()) > self._settings.ingest_inline_body_max_bytes:
            blobs.append(Blob.of(body.encode(), *BODY_BLOB))
            fields["body_ref"], body = blobs[-1].attachment.blob_id, None
        dispatch_id = str(uuid.uuid4())
        try:
            event = DispatchReceived(
                dispatch_id=dispatch_id, source_system=system, body=body,
                occurred_at=self._clock.now(), body_chars=len(body or ""),
                correlation_id=request.headers.get("X-Correlation-ID") or dispatch_id,
                attachments=[f.attachment for f in files], **fields)
        except ValidationError as exc:
            raise HTTPException(
                422, detail=exc.errors(include_url=False, include_input=False)) from exc
        if (too_big := oversize_error(event, self._settings.ingest_max_event_bytes)) is not None:
            raise HTTPException(413, detail=[too_big])
        keys = [k for k in (idempotency_key(system, idem) or fingerprint_key(system, fingerprint),
                            natural_key(system, event.issuer, event.number, event.notation,
                                        event.issued_on),
                            edxml_key(system, event.document_id)) if k]

        async def stage() -> None:
            for blob in blobs:
                a = blob.attachment
                await self._repo.store_blob(blob.data, a.filename, a.content_type, a.blob_id)

        outcome = await self._acceptor.accept(event, keys, fingerprint, stage if blobs else None)
        request.state.dispatch_id = outcome.dispatch_id
        request.state.parsed_fields = event.parsed_fields
        return outcome
