"""From a submission to a typed dispatch: the ``DispatchReceived`` that admission then takes in.

A *submission* is one document as an upstream system sent it (JSON, a file, or one item of a batch);
the *dispatch* is the event built from it. Building merges what the sender stated with what the
parser read (stated values always win; read fields fill only the gaps, are listed in
``parsed_fields`` as guesses for a clerk to confirm, and keep their source sentence), moves a body
too large to travel inline into a blob, validates the event (422) and checks its size (413), and
names the keys it is recognised by again. Nothing is stored here: every refusal happens before
admission, so a refused document leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from services.ingest.event_size import oversize_error
from services.ingest.idempotency import edxml_key, fingerprint_key, idempotency_key, natural_key
from services.ingest.parsing import ParsedDocument, ParseError, parse_text
from services.ingest.parsing.confidence import field_confidence
from services.ingest.parsing.reading import Reading
from services.ingest.settings import IngestSettings
from shared.clock import Clock
from shared.events import Attachment, DispatchReceived, MeetingInfo, StatedDeadline
from shared.reading_parts import FieldOrigin

BODY_BLOB = ("body.txt", "text/plain; charset=utf-8")
SCALAR_FIELDS = ("issuer", "parent_issuer", "number", "notation", "doc_type", "place", "subject",
                 "signer_title", "signer_name")
LIST_FIELDS = ("recipients", "distribution")


class Refused(Exception):
    """A submission that cannot become a dispatch: ``status`` 422 (invalid) or 413 (too large),
    ``detail`` in FastAPI's list shape naming the field and the reason."""

    def __init__(self, status: int, detail: list[dict[str, Any]]) -> None:
        super().__init__(status, detail)
        self.status, self.detail = status, detail


@dataclass(frozen=True)
class Blob:
    """A file to store if, and only if, the dispatch is admitted."""

    data: bytes
    attachment: Attachment

    @classmethod
    def of(cls, data: bytes, filename: str, content_type: str) -> Blob:
        """Describe ``data`` under a fresh blob id (nothing is stored yet)."""
        return cls(data, Attachment(blob_id=str(uuid.uuid4()), filename=filename,
                                    content_type=content_type, size=len(data),
                                    sha256=hashlib.sha256(data).hexdigest()))


@dataclass(frozen=True)
class Dispatch:
    """A built dispatch: the event, the keys it is known by, the files admission stores."""

    event: DispatchReceived
    keys: list[str]
    blobs: list[Blob] = field(default_factory=list)


class DispatchBuilder:
    """Builds the dispatch of one submission, under ingest's settings and clock."""

    def __init__(self, settings: IngestSettings, clock: Clock) -> None:
        self._settings, self._clock = settings, clock

    def build(self, system: str, stated: dict[str, Any], parsed: ParsedDocument | None,
              body: str | None, files: Sequence[Blob], fingerprint: str,
              idem: str | None = None, correlation_id: str | None = None) -> Dispatch:
        """The dispatch ``system`` submitted; raises :class:`Refused` (422/413) for a bad or huge
        one."""
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
                correlation_id=correlation_id or dispatch_id,
                attachments=[f.attachment for f in files], **fields)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            raise Refused(422, [dict(e) for e in errors]) from exc
        if (too_big := oversize_error(event, self._settings.ingest_max_event_bytes)) is not None:
            raise Refused(413, [too_big])
        keys = [k for k in (idempotency_key(system, idem) or fingerprint_key(system, fingerprint),
                            *document_keys(system, event)) if k]
        return Dispatch(event, keys, blobs)


def document_keys(system: str, event: DispatchReceived) -> list[str | None]:
    """The keys of the document itself: its natural key and edXML DocumentId. None for an edXML
    package that revokes, updates or replaces an earlier document: it repeats that document's
    identity, and must not be taken for a resend of it."""
    if event.exchange is not None and event.exchange.acts_on_earlier:
        return []
    return [natural_key(system, event.issuer, event.number, event.notation, event.issued_on),
            edxml_key(system, event.document_id)]


def upload_parts(reading: Reading, upload: Blob) -> tuple[dict[str, Any], list[Blob]]:
    """What an uploaded file adds to the stated fields, and the files to store: for an edXML package,
    its exchange details and the urgency its envelope states (when it states none, the metadata's
    stands), and its attached files (main letter first, so it is the dispatch's original) before
    the package itself; otherwise nothing, and the file alone."""
    if reading.exchange is None:
        return {}, [upload]
    files = [Blob.of(f.data, f.name, f.content_type) for f in reading.files]
    stated = {"urgency": reading.urgency} if reading.urgency is not None else {}
    return {**stated, "exchange": reading.exchange}, [*files, upload]


def read_fields(parsed: ParsedDocument | None) -> dict[str, Any]:
    """Each field read from an uploaded file: its value, origin (envelope, text or ocr), the
    attached file it came from and the OCR confidence; for the upload's answer."""
    if parsed is None:
        return {}
    labels = parsed.to_labels()
    return {name: {"value": value, **parsed.origins.get(name, READ_FROM_TEXT).model_dump()}
            for name, value in labels.items() if value not in (None, [])}


def read_body(text: str | None) -> ParsedDocument | None:
    """What the parser reads from a submitted body, with each field's confidence, or None for no
    or unreadable text. CPU-bound
    (up to 1 MB of text): run it off the event loop."""
    if not text or not text.strip():
        return None
    try:
        document = parse_text(text)
    except ParseError:
        return None
    return document.model_copy(update={"origins": {  # each field's confidence (issue 18)
        name: FieldOrigin(origin="text", confidence=score)
        for name, score in field_confidence(document, text).items()}})


READ_FROM_TEXT = FieldOrigin(origin="text")


def merge_parsed(stated: dict[str, Any], parsed: ParsedDocument | None) -> dict[str, Any]:
    """Return event fields: ``stated`` values, completed by ``parsed`` where the sender gave none.
    Pure."""
    fields = {k: v for k, v in stated.items() if v not in (None, [], "")}
    if parsed is None:
        fields.setdefault("parsed_fields", [])
        return fields
    labels = parsed.to_labels()
    with_sources = parsed.to_dict_with_sources()
    guessed: list[str] = []
    for name in (*SCALAR_FIELDS, *LIST_FIELDS):
        if name not in fields and labels.get(name):
            fields[name] = labels[name]
            guessed.append(name)
    if "issued_on" not in fields and (issued := _date(labels.get("issued_on"))):
        fields["issued_on"] = issued
        guessed.append("issued_on")
    deadlines = [d for d in (_deadline(raw) for raw in labels.get("deadlines") or []) if d]
    if deadlines and "deadlines" not in fields:
        fields["deadlines"] = deadlines
        guessed.append("deadlines")
    if "meeting" not in fields and (meeting := _meeting(labels.get("meeting"))):
        fields["meeting"] = meeting
        guessed.append("meeting")
    if "urgency" not in fields and parsed.urgency is not None:  # the mark printed on it
        fields["urgency"] = parsed.urgency.value
        guessed.append("urgency")
    fields["parsed_fields"] = guessed
    fields["sources"] = {name: s for name in guessed if (s := _sentence(with_sources.get(name)))}
    extras = parsed.event_extras(guessed)  # the signature, and each read field's origin:
    extras["field_origins"] = {name: extras["field_origins"].get(name, READ_FROM_TEXT)
                               for name in guessed}  # a JSON body's fields come from its text
    fields.update(extras)
    return fields


def _sentence(entry: Any) -> str | None:
    if isinstance(entry, list):
        entry = entry[0] if entry else None
    if isinstance(entry, dict) and isinstance(entry.get("sentence"), str):
        return str(entry["sentence"])[:1000]
    return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _deadline(raw: dict[str, Any]) -> StatedDeadline | None:
    try:
        return StatedDeadline.model_validate(raw)
    except ValidationError:
        return None


def _meeting(raw: Any) -> MeetingInfo | None:
    if not isinstance(raw, dict) or not any(raw.values()):
        return None
    try:
        return MeetingInfo.model_validate(raw)
    except ValidationError:
        return None
