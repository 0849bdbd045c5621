"""An oversized letter is routed on its full body: ingest stores the body as a blob (``body_ref``),
the router reads it back from FerretDB and assigns the unit the body names. Ingest and the router
run as processes on real Kafka and FerretDB."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared import topics
from tests.integration.service_process import API_KEY, running_services
from tests.kafka_reader import read_topic

pytestmark = pytest.mark.infra
INLINE_MAX = 1024


async def _first(bootstrap: str, topic: str, dispatch_id: str) -> dict[str, Any]:
    for _ in range(120):
        found = [m for m in await read_topic(bootstrap, topic) if m.get("dispatch_id") == dispatch_id]
        if found:
            return found[0]
        await asyncio.sleep(0.5)
    raise AssertionError(f"nothing on {topic} for {dispatch_id}")


async def test_a_letter_over_the_inline_cap_is_routed_to_the_unit_its_body_names(
    infra: Any, artifacts_dir: Path
) -> None:
    marker = uuid.uuid4().hex[:8]
    filler = "Văn bản này được gửi để các cơ quan, đơn vị biết và phối hợp thực hiện. " * 20
    body = (f"{filler}\nĐề nghị Sở Công Thương rà soát tình hình cung ứng điện mùa khô năm 2024 "
            "trên địa bàn tỉnh.")
    assert len(body.encode()) > INLINE_MAX and "cung ứng điện" not in body[:INLINE_MAX]
    letter = {"subject": f"V/v đề nghị rà soát, báo cáo tình hình mùa khô {marker}",
              "issuer": "BỘ CÔNG THƯƠNG", "body": body}
    with running_services(infra, artifacts_dir / f"large-letter-{marker}", ("router", "ingest"),
                          INGEST_INLINE_BODY_MAX_BYTES=str(INLINE_MAX)) as fleet:
        async with httpx.AsyncClient(base_url=fleet.url("ingest"), timeout=30) as client:
            response = await client.post("/dispatches", json=letter, headers={"X-API-Key": API_KEY})
        assert response.status_code == 202, response.text
        dispatch_id = response.json()["dispatch_id"]

        received = await _first(infra.kafka_bootstrap, topics.DISPATCH_RECEIVED, dispatch_id)
        assert received["body"] is None and received["body_ref"], "the body travels by reference"
        assigned = await _first(infra.kafka_bootstrap, topics.DISPATCH_ASSIGNED, dispatch_id)

    assert assigned["rule_id"] == "nang-luong-dien-luc", assigned["reason"]
    assert [(a["unit_code"], a["role"]) for a in assigned["assignments"]] == [("QLNL", "lead")]
    assert "cung ứng điện" in assigned["reason"]
