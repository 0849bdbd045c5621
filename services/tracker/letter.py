"""The letter of a dispatch as the tracker's pages show it: its text and its original file.

The leadership dashboard (``/dashboard``) and the units' desk (``/desk``) both show them, through
these pieces, so the two pages cannot disagree on which file is the original, how it is answered
or where the text comes from:

- the original is the first attached file ingest stored (the scan, PDF or file sent), found only
  among the dispatch's own attachments (a blob id the dispatch does not list is never read);
- it is answered with its stored content type, never sniffed, in a sandbox (no script runs from
  it), inline only where a browser shows it safely (images, PDF) and a page asks for it;
- the text is the body the dispatch came with, or the body ingest stored apart (``body_ref``).

Neither the text nor the file's bytes is ever logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from fastapi.responses import Response

from shared.safe_text import clean_block

Doc = dict[str, Any]
INLINE_TYPES = {"image/png": "image", "image/jpeg": "image", "application/pdf": "pdf"}
"""Stored files a browser may show inline; any other type is offered as a download."""
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*")


class Files(Protocol):
    """Where the tracker reads the files ingest stored (its repository)."""

    async def original_file(self, blob_id: str) -> bytes | None: ...


@dataclass(frozen=True)
class Original:
    """The file the dispatch was read from, as a page links it."""

    url: str
    filename: str
    kind: str
    """``image`` (shown as a picture), ``pdf`` (shown in the browser's viewer) or ``file`` (a link)."""


def original(prefix: str, dispatch_id: str, dispatch: Doc) -> Original | None:
    """The first attached file, linked under ``prefix`` (``/dashboard`` or ``/desk``), or None."""
    for a in dispatch.get("attachments") or []:
        if a.get("blob_id"):
            return Original(f"{prefix}/dispatches/{dispatch_id}/original/{a['blob_id']}",
                            a.get("filename") or "bản gốc",
                            INLINE_TYPES.get(a.get("content_type") or "", "file"))
    return None


def attachment(dispatch: Doc, blob_id: str) -> Doc | None:
    """The dispatch's own attachment stored under ``blob_id``, or None."""
    return next((a for a in dispatch.get("attachments") or [] if a.get("blob_id") == blob_id),
                None)


def text_of(dispatch: Doc, stored: bytes | None = None) -> str | None:
    """The letter's text: the body it came with, else the body ingest stored apart (``stored``:
    the bytes of ``body_ref``) read as UTF-8 and cleaned as an inline body is; None when neither is
    there or the stored bytes are not text."""
    body = dispatch.get("body")
    if isinstance(body, str) and body.strip():
        return body
    if stored is None:
        return None
    try:
        text = clean_block(stored.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return text if text.strip() else None


async def read_text(files: Files, dispatch: Doc) -> str | None:
    """The letter's text (:func:`text_of`), reading the stored body only when it is not inline."""
    ref = dispatch.get("body_ref")
    if text_of(dispatch) is not None or not ref:
        return text_of(dispatch)
    return text_of(dispatch, await files.original_file(str(ref)))


async def read_original(files: Files, dispatch: Doc, blob_id: str) -> tuple[Doc, bytes] | None:
    """One of the dispatch's own attached files (metadata, bytes), or None."""
    meta = attachment(dispatch, blob_id)
    data = await files.original_file(blob_id) if meta is not None else None
    return (meta, data) if meta is not None and data is not None else None


def media_type(meta: Doc) -> str:
    """The stored content type, or ``application/octet-stream`` when it is missing or malformed."""
    kind = str(meta.get("content_type") or "").strip().lower()
    return kind if _MEDIA_TYPE.fullmatch(kind) else "application/octet-stream"


def file_response(meta: Doc, data: bytes, *, inline: bool) -> Response:
    """The original file: with its stored type, as a download (``Content-Disposition:
    attachment`` with its file name) unless ``inline`` is asked and a browser shows the type safely;
    never sniffed, and in a sandbox except for PDF shown inline (the viewer needs scripts)."""
    kind = media_type(meta)
    shown = inline and kind in INLINE_TYPES
    name = quote(meta.get("filename") or "ban-goc")
    return Response(data, media_type=kind, headers={
        "Content-Disposition": f"{'inline' if shown else 'attachment'}; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300",
        **({} if shown and kind == "application/pdf" else {"Content-Security-Policy": "sandbox"})})
