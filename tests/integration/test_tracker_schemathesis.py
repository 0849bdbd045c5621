"""schemathesis generates requests from the tracker's own OpenAPI schema: none may get a 5xx.

The tracker runs as a process on real Kafka and FerretDB; requests carry a leadership token, a unit
token, a wrong token or none, so they reach the routes behind authentication too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.schemathesis_run import fuzz
from tests.integration.service_process import LEADER_TOKEN, running_services, unit_token
from tools.fleet import ServiceFleet

pytestmark = pytest.mark.infra
EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def tracker(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceFleet]:
    with running_services(infra, tmp_path_factory.mktemp("fuzz-tracker"), ("tracker",),
                          TRACKER_CLOCK_CONTROL="true") as fleet:
        yield fleet


def test_generated_requests_never_get_a_server_error(tracker: ServiceFleet) -> None:
    report = fuzz(tracker.url("tracker"), [
        {"Authorization": f"Bearer {LEADER_TOKEN}"}, {"Authorization": f"Bearer {LEADER_TOKEN}"},
        {"Authorization": f"Bearer {unit_token('VP')}"}, {"Authorization": "Bearer wrong"}, {}],
        EXAMPLES_PER_OPERATION, allowed_5xx=frozenset({("/ready", 503)}))
    assert report.paths >= {"/dispatches/{dispatch_id}", "/units/{unit_code}/worklist",
                            "/dispatches/{dispatch_id}/units/{unit_code}/responses"}
    assert report.server_errors == []
    assert len(report.statuses) >= 2 * len(report.paths)
    assert {200, 401, 404, 422} <= set(report.statuses), sorted(set(report.statuses))
    tracker.check_alive()
