"""schemathesis generates requests from the notifier's own OpenAPI schema: none may get a 5xx.

The notifier runs as a process on real Kafka and FerretDB (no tracker: its digest figures are then
unavailable, which must be answered without a server error too); requests carry its access token,
a wrong one or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.schemathesis_run import fuzz
from tests.integration.service_process import LEADER_TOKEN, running_services
from tools.fleet import ServiceFleet

pytestmark = pytest.mark.infra
EXAMPLES_PER_OPERATION = 25
LEADER = {"Authorization": f"Bearer {LEADER_TOKEN}"}
ALLOWED_5XX = frozenset({("/ready", 503), ("/digest", 502), ("/digest", 503)})
"""Truthful answers: not ready; the tracker (source of the digest figures) unreachable."""


@pytest.fixture(scope="module")
def notifier(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceFleet]:
    with running_services(infra, tmp_path_factory.mktemp("fuzz-notifier"), ("notifier",),
                          NOTIFIER_TRACKER_TOKEN=LEADER_TOKEN) as fleet:
        yield fleet


def test_generated_requests_never_get_a_server_error(notifier: ServiceFleet) -> None:
    report = fuzz(notifier.url("notifier"), [LEADER, LEADER, {"Authorization": "Bearer wrong"}, {}],
                  EXAMPLES_PER_OPERATION, allowed_5xx=ALLOWED_5XX)
    assert report.paths >= {"/notifications", "/digest"}
    assert report.server_errors == []
    assert {200, 401} <= set(report.statuses), sorted(set(report.statuses))
    notifier.check_alive()


def test_digest_without_the_tracker_is_not_a_500(notifier: ServiceFleet) -> None:
    answer = httpx.post(f"{notifier.url('notifier')}/digest", headers=LEADER, timeout=30)
    assert answer.status_code == 503, answer.text
    assert answer.json()["detail"][0]["loc"] == ["tracker"]
