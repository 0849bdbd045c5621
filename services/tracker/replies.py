"""Reply documents a unit uploads when it completes an assignment (issue 16). Pure.

A reply file is accepted when it is not empty, within the size cap, and of an allowed type, told by
its extension *and* its first bytes (a renamed executable is not a PDF). It is stored by the tracker
(``reply_files``) and the ``UnitResponded`` event names it in ``reply_blob_id``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Doc = dict[str, Any]
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
"""How each allowed type begins."""
CONTENT_TYPE = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text", "doc": "application/msword",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
}
_UNSAFE = re.compile(r"[^\w.\- ()]+")


@dataclass(frozen=True)
class ReplyFile:
    """A stored reply document."""

    id: str
    dispatch_id: str
    unit_code: str
    filename: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    data: bytes

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.id, "dispatch_id": self.dispatch_id, "unit_code": self.unit_code,
                "filename": self.filename, "content_type": self.content_type, "size": self.size,
                "uploaded_by": self.uploaded_by, "uploaded_at": self.uploaded_at,
                "data": self.data}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> ReplyFile:
        """The record of a stored document."""
        return cls(id=str(doc["_id"]), dispatch_id=str(doc["dispatch_id"]),
                   unit_code=str(doc["unit_code"]), filename=str(doc["filename"]),
                   content_type=str(doc["content_type"]), size=int(doc["size"]),
                   uploaded_by=str(doc["uploaded_by"]), uploaded_at=doc["uploaded_at"],
                   data=bytes(doc["data"]))


def extension(filename: str) -> str:
    """The lower-case extension of ``filename`` ('' if none)."""
    _, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""


def safe_filename(filename: str) -> str:
    """The file's name without its folders or odd characters, at most 120 characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return (_UNSAFE.sub("_", base).strip(" .") or "tep-tra-loi")[-120:]


def size_words(size: int) -> str:
    """'5 MB', '300 KB' or '12 byte'."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} byte"


def file_problem(filename: str, head: bytes, size: int, *, max_bytes: int,
                 allowed: Collection[str]) -> str | None:
    """Why this upload is refused, in Vietnamese, or None. ``head`` is its first bytes."""
    ext = extension(filename)
    kinds = ", ".join(sorted(a.upper() for a in allowed))
    if size == 0:
        return "Tệp trả lời trống."
    if size > max_bytes:
        return (f"Tệp trả lời quá lớn ({size_words(size)}); tối đa {size_words(max_bytes)}.")
    if ext not in allowed or ext not in MAGIC:
        return f"Loại tệp .{ext or '?'} không được nhận; chỉ nhận {kinds}."
    if not head.startswith(MAGIC[ext]):
        return f"Nội dung tệp không phải {ext.upper()} như tên tệp nói; chỉ nhận {kinds}."
    return None


def new_reply(dispatch_id: str, unit_code: str, filename: str, data: bytes, uploaded_by: str,
              at: datetime) -> ReplyFile:
    """A reply file record, with a fresh id."""
    name = safe_filename(filename)
    return ReplyFile(id=f"reply-{uuid.uuid4()}", dispatch_id=dispatch_id, unit_code=unit_code,
                     filename=name, content_type=CONTENT_TYPE.get(extension(name),
                                                                  "application/octet-stream"),
                     size=len(data), uploaded_by=uploaded_by, uploaded_at=at, data=data)
