"""Is an event small enough for Kafka? Checked at the edge, before anything is stored. Pure.

Kafka refuses a message over its maximum size (1 MB by default) on every retry; answered as an
outage that would be a lie. So ingest measures the serialised event against a cap below that size
and refuses a document over it with 413, naming the field that takes the most room.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def oversize_error(event: BaseModel, max_bytes: int) -> dict[str, Any] | None:
    """A FastAPI-style error entry if ``event`` serialises to more than ``max_bytes``, else None."""
    size = len(event.model_dump_json().encode())
    if size <= max_bytes:
        return None
    dumped = event.model_dump(mode="json")
    sizes = {name: len(json.dumps(value, ensure_ascii=False).encode())
             for name, value in dumped.items()}
    largest = max(sizes, key=lambda name: sizes[name])
    return {"loc": ["body", largest], "type": "event_too_large",
            "msg": f"công văn quá lớn để chuyển đi: {size} byte, tối đa {max_bytes} byte; "
                   f"trường lớn nhất là {largest} ({sizes[largest]} byte)",
            "ctx": {"max_bytes": max_bytes, "size": size, "field": largest,
                    "field_bytes": sizes[largest]}}
