"""Stored files (blobs) in MongoDB: the one layout that ingest writes and the router reads.

FerretDB v1 has no GridFS, so a file is kept as chunks: ``blob_chunks`` holds the pieces
(``_id`` ``"<blob_id>:<n>"``, ``blob_id``, ``n``, ``data``) of at most :data:`CHUNK_BYTES` each, and
``blobs`` holds one metadata document per file (``_id`` = blob id, ``filename``, ``content_type``,
``size``, ``sha256``, ``chunks``, ``created_at``), written last: a file whose metadata exists and
whose chunks add up to its size is complete. A large body of a letter travels this way (the event
carries ``body_ref``, the blob id), as do uploaded files (``attachments``).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from bson import Binary
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from shared.events import Attachment

BLOBS = "blobs"
"""Collection of the metadata documents, one per file."""
CHUNKS = "blob_chunks"
"""Collection of the pieces of every file."""
CHUNK_BYTES = 255 * 1024
"""Largest piece of a file in one chunk document."""
_INSERT_BATCH = 16
"""Chunk documents per insert (16 × 255 KB stays well under a 16 MB command)."""


class BlobStore:
    """Writes and reads chunked files in ``blobs`` and ``blob_chunks`` of one database."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.blobs = db[BLOBS]
        self.chunks = db[CHUNKS]

    async def create_indexes(self) -> None:
        """The index reading a file back relies on (idempotent)."""
        await self.chunks.create_index([("blob_id", ASCENDING), ("n", ASCENDING)])

    async def put(self, data: bytes, filename: str, content_type: str,
                  blob_id: str | None = None) -> Attachment:
        """Store ``data`` in chunks (under ``blob_id`` if given, else a fresh id) and return its
        reference; the metadata document is written after every chunk."""
        blob_id = blob_id or str(uuid.uuid4())
        digest = hashlib.sha256(data).hexdigest()
        chunks = [{"_id": f"{blob_id}:{i:06d}", "blob_id": blob_id, "n": i,
                   "data": Binary(data[off:off + CHUNK_BYTES])}
                  for i, off in enumerate(range(0, max(len(data), 1), CHUNK_BYTES))]
        for start in range(0, len(chunks), _INSERT_BATCH):
            await self.chunks.insert_many(chunks[start:start + _INSERT_BATCH])
        await self.blobs.insert_one({"_id": blob_id, "filename": filename,
                                     "content_type": content_type, "size": len(data),
                                     "sha256": digest, "chunks": len(chunks),
                                     "created_at": datetime.now(UTC)})
        return Attachment(blob_id=blob_id, filename=filename, content_type=content_type,
                          size=len(data), sha256=digest)

    async def get(self, blob_id: str) -> bytes | None:
        """The stored file's bytes, or None if it is unknown or incomplete."""
        meta = await self.blobs.find_one({"_id": blob_id})
        if meta is None:
            return None
        parts = [c async for c in self.chunks.find({"blob_id": blob_id}).sort("n", ASCENDING)]
        data = b"".join(bytes(c["data"]) for c in parts)
        return data if len(parts) == meta["chunks"] and len(data) == meta["size"] else None
