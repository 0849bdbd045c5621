"""MongoDB wiring: PyMongo's native async client (``AsyncMongoClient``), not motor.

Works against MongoDB and FerretDB v1 alike; Vanthu keeps to what FerretDB v1 supports (no
transactions, change streams or TTL indexes; ``$group`` with ``$sum``/``$count`` only).
"""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from shared.settings import ServiceSettings

DUPLICATE_KEY = 11000


def make_mongo_client(settings: ServiceSettings) -> AsyncMongoClient[dict[str, Any]]:
    """Return a client with timezone-aware datetimes and short server-selection timeouts, logged in
    as ``MONGODB_USERNAME`` when one is set."""
    return AsyncMongoClient(
        settings.mongodb_url,
        **settings.mongodb_credentials(),
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        connectTimeoutMS=5000,
        appname="vanthu",
    )


def database(
    client: AsyncMongoClient[dict[str, Any]], settings: ServiceSettings
) -> AsyncDatabase[dict[str, Any]]:
    """Return the configured database."""
    return client[settings.mongodb_database]


def raise_unless_only_duplicates(error: BulkWriteError) -> int:
    """Accept a bulk write whose only errors are duplicate keys (already-applied events).

    Returns how many writes were duplicates; re-raises if any other error occurred.
    """
    errors = error.details.get("writeErrors", [])
    if any(e.get("code") != DUPLICATE_KEY for e in errors) or error.details.get(
        "writeConcernErrors"
    ):
        raise error
    return len(errors)


BULK_CHUNK = 50
"""Statements per bulk command. FerretDB 1.24 (SQLite) holds a pooled connection per statement of
one command until the command ends, and its pool holds 100: a bulk of 100 updates freezes it for
good (tests/faults/test_ferretdb_bulk_update_deadlock.py). Chunks stay well below that."""


async def bulk_write_idempotent(collection: Any, ops: list[Any], attempts: int = 3) -> list[int]:
    """Apply idempotent writes in chunks, unordered; return the indices (in ``ops``) of the writes
    refused as duplicates (an insert whose ``_id`` exists: already applied, or claimed elsewhere).

    FerretDB v1 may answer two concurrent upserts of one document with a reply that lacks
    ``nModified``, on which PyMongo raises ``KeyError``; as the writes are idempotent, the chunk is
    simply sent again.
    """
    duplicates: list[int] = []
    for start in range(0, len(ops), BULK_CHUNK):
        chunk = ops[start:start + BULK_CHUNK]
        for attempt in range(1, attempts + 1):
            try:
                await collection.bulk_write(chunk, ordered=False)
            except BulkWriteError as exc:
                raise_unless_only_duplicates(exc)
                duplicates += [start + e["index"] for e in exc.details["writeErrors"]]
            except KeyError:
                if attempt == attempts:
                    raise
                continue
            break
    return duplicates
