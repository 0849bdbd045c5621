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
    """Return a client with timezone-aware datetimes and short server-selection timeouts."""
    return AsyncMongoClient(
        settings.mongodb_url,
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
