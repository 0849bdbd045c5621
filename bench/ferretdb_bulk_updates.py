"""Probe: do concurrent bulk updates lock FerretDB 1.24 up? (issue 15, ADR 0013)

``python -m bench.ferretdb_bulk_updates CONCURRENT [SIZE]`` starts its own FerretDB and runs eight
rounds; in each, CONCURRENT tasks at once insert SIZE (default 50) documents, update those SIZE
documents with one unordered ``bulk_write`` of ``UpdateOne`` by ``_id``, and insert SIZE more
elsewhere, as ingest's batch endpoint does per request. It prints one line per round, or fails
when FerretDB does not answer within 30 s. On the local FerretDB 1.24.2 (this session), with
the updates by ``_id``: 1 × 120 and 3 concurrent × 50 lock up at once (FerretDB idle, no answer);
2 × 50, 3 × 25, 4 × 30 and 6 × 10 pass; inserts alone (4 × 150 at once) pass.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient, UpdateOne

from tools.infra.stack import InfraPorts, LocalInfra


async def rounds(url: str, concurrent: int, size: int) -> None:
    """Eight rounds of ``concurrent`` insert → bulk update → insert tasks."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, socketTimeoutMS=30000)
    db = client["probe"]

    async def one() -> None:
        ids = [uuid.uuid4().hex for _ in range(size)]
        await db["keys"].insert_many([{"_id": i, "state": "reserved"} for i in ids],
                                     ordered=False)
        await db["keys"].bulk_write([UpdateOne({"_id": i}, {"$set": {"state": "published"}})
                                     for i in ids], ordered=False)
        await db["origins"].insert_many([{"_id": i} for i in ids], ordered=False)

    started = time.monotonic()
    try:
        for n in range(8):
            await asyncio.gather(*(one() for _ in range(concurrent)))
            sys.stdout.write(f"round {n}: {concurrent} × {size} done at "
                             f"{time.monotonic() - started:.1f} s\n")
    finally:
        await client.close()


def main() -> None:
    """Start a FerretDB, run the rounds, stop it."""
    concurrent = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory(prefix="vanthu-ferret-probe-") as tmp:
        infra = LocalInfra(Path(tmp), InfraPorts.free())
        infra.data_dir.mkdir(parents=True, exist_ok=True)
        infra.start_one("ferretdb")
        try:
            asyncio.run(rounds(infra.mongodb_url, concurrent, size))
        finally:
            infra.stop()


if __name__ == "__main__":
    main()
