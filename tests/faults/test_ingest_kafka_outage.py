"""Kafka stops under a running ingest: 503 and nothing accepted; Kafka returns: accepted again,
without restarting ingest, and a retried refused document is published exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from shared import topics
from tests.kafka_reader import read_topic
from tools.fleet import wait_for
from tools.infra.stack import LocalInfra
from tools.stack_harness import Credentials, Stack

pytestmark = pytest.mark.infra
KEY = {"X-API-Key": "fault-key"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalInfra, str]]:
    with Stack(tmp_path_factory.mktemp("outage"), services=("ingest",),
               credentials=Credentials(api_keys={"portal": "fault-key"}),
               env={"INGEST_PUBLISH_TIMEOUT_S": "3"}) as running:
        assert running.infra is not None
        yield running.infra, running.url("ingest")


def test_kafka_outage_refuses_then_recovers_without_restarting_ingest(
    stack: tuple[LocalInfra, str],
) -> None:
    infra, url = stack
    marker = uuid.uuid4().hex
    before = httpx.post(f"{url}/dispatches", headers=KEY, json={"subject": f"V/v trước {marker}"})
    assert before.status_code == 202

    infra.stop_one("kafka")
    refused = httpx.post(f"{url}/dispatches", timeout=30, json={"subject": f"V/v trong {marker}"},
                         headers={**KEY, "Idempotency-Key": f"during-{marker}"})
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert httpx.get(f"{url}/ready", timeout=10).status_code == 503

    infra.start_one("kafka")
    started = time.monotonic()

    def accepts() -> bool:
        response = httpx.post(f"{url}/dispatches", timeout=30, headers=KEY,
                              json={"subject": f"V/v sau {marker}"})
        return response.status_code == 202

    assert wait_for(accepts, timeout=90, interval=1.0), "ingest never accepted again"
    recovery_s = time.monotonic() - started
    retried = httpx.post(f"{url}/dispatches", timeout=30, json={"subject": f"V/v trong {marker}"},
                         headers={**KEY, "Idempotency-Key": f"during-{marker}"})
    assert retried.status_code == 202
    again = httpx.post(f"{url}/dispatches", timeout=30, json={"subject": f"V/v trong {marker}"},
                       headers={**KEY, "Idempotency-Key": f"during-{marker}"})
    assert again.status_code == 200 and again.json()["dispatch_id"] == retried.json()["dispatch_id"]

    published = asyncio.run(read_topic(infra.kafka_bootstrap, topics.DISPATCH_RECEIVED))
    # one dispatch per document: a retry after an unconfirmed 503 republishes the same event (same
    # dispatch_id and event_id), which consumers drop, so copies are counted by dispatch
    subjects = [m["subject"] for m in {m["dispatch_id"]: m for m in published}.values()
                if marker in str(m["subject"])]
    assert subjects.count(f"V/v trước {marker}") == 1
    assert subjects.count(f"V/v trong {marker}") == 1, "the refused document must appear once"
    assert subjects.count(f"V/v sau {marker}") == 1
    print(f"ingest accepted again {recovery_s:.1f}s after Kafka was restarted")
