"""The files an edXML package carries (``AttachmentEncoded``), decoded and bounded. Pure.

Peers put ``<AttachmentEncoded>`` after the envelope, in the edXML namespace through the root's
default ``xmlns`` or in none, each ``<Attachment>`` with ``ContentType``, ``ContentId``,
``Description``, ``ContentTransferEncoded`` (base64) and ``AttachmentName``; the envelope's
``edXMLBody/edXMLManifest`` lists them as ``Reference`` elements (``ContentId``, ``AttachmentName``).
Elements are matched by local name in either namespace.

The main letter is the first PDF or DOCX in the manifest's order (the package's order for files the
manifest does not list), else the first picture (a scan): it comes first in :func:`read_attachments`'s
answer. At most :data:`MAX_ATTACHMENTS` files; their decoded size is bounded by the package's own
(``edxml_parts.MAX_BYTES``); a file that is not valid base64 is an :class:`EdxmlError` naming it.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from services.ingest.parsing.edxml_parts import clean
from services.ingest.parsing.errors import EdxmlError, ParseError
from services.ingest.parsing.files import detect_kind

MAX_ATTACHMENTS = 20
LETTER_KINDS = ("pdf", "docx")
_UNSAFE_NAME = re.compile(r"[\\/:*?\"<>|\x00-\x1f]+")


@dataclass(frozen=True)
class PackageFile:
    """One decoded attachment: its name and type as the package states them, and its bytes."""

    name: str
    content_type: str
    data: bytes
    content_id: str | None = None

    @property
    def kind(self) -> str | None:
        """``pdf``, ``docx``, ``image`` or ``text`` as read, None for any other file."""
        try:
            return detect_kind(self.data, self.name, self.content_type)
        except ParseError:
            return None


def read_attachments(root: ET.Element) -> list[PackageFile]:
    """Every attached file, the main letter first, then the manifest's and the package's order."""
    found = [_decoded(element, index) for index, element in enumerate(_all(root, "Attachment"), 1)
             if _has_local(element, "ContentTransferEncoded")]
    order = _manifest_order(root)
    ranked = sorted(found, key=lambda f: order.get(_key(f.content_id), len(order)))
    main = next((f for f in ranked if f.kind in LETTER_KINDS), None) or next(
        (f for f in ranked if f.kind == "image"), None)
    return [main, *(f for f in ranked if f is not main)] if main else ranked


def is_letter(file: PackageFile) -> bool:
    """A file the letter reader reads (PDF, DOCX or a scanned picture)."""
    return file.kind in (*LETTER_KINDS, "image")


def _decoded(element: ET.Element, index: int) -> PackageFile:
    if index > MAX_ATTACHMENTS:
        raise EdxmlError(f"gói tin có hơn {MAX_ATTACHMENTS} tệp đính kèm")
    name = _safe_name(_text(element, "AttachmentName"), index)
    try:
        data = base64.b64decode("".join((_text(element, "ContentTransferEncoded") or "").split()),
                                validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EdxmlError(f"tệp đính kèm «{name}»: ContentTransferEncoded không phải base64 hợp lệ"
                         ) from exc
    stated = _text(element, "ContentType")
    content_type = stated if stated and "/" in stated else (
        mimetypes.guess_type(name)[0] or "application/octet-stream")
    return PackageFile(name, content_type[:200], data, _text(element, "ContentId"))


def _manifest_order(root: ET.Element) -> dict[str, int]:
    manifest = next(_all(root, "edXMLManifest"), None)
    if manifest is None:
        return {}
    ids = [_key(_text(ref, "ContentId")) for ref in _all(manifest, "Reference")]
    return {cid: rank for rank, cid in reversed(list(enumerate(ids))) if cid}


def _key(content_id: str | None) -> str:
    return (content_id or "").strip().removeprefix("cid:").strip("<>")


def _safe_name(name: str | None, index: int) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    return base[:255] or f"tep-dinh-kem-{index}"


def _all(element: ET.Element, local: str) -> Iterator[ET.Element]:
    return (e for e in element.iter() if _local(e.tag) == local)


def _has_local(element: ET.Element, local: str) -> bool:
    return any(_local(e.tag) == local for e in element)


def _text(element: ET.Element, local: str) -> str | None:
    found = next((e for e in element if _local(e.tag) == local), None)
    return clean(found.text) or None if found is not None else None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
