"""schemathesis generates requests from ingest's own OpenAPI schema: none may get a 5xx.

Runs against the ingest process on real Kafka and FerretDB, with a valid API key (so requests get
past authentication) and a bounded number of examples per operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.ingest_process import running_ingest

pytestmark = pytest.mark.infra
EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def ingest_url(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_ingest(infra, tmp_path_factory.mktemp("fuzz-logs"), {"fuzz": "fuzz-key"},
                        LOG_LEVEL="WARNING") as url:
        yield url


def test_generated_requests_never_get_a_server_error(ingest_url: str) -> None:
    schema = schemathesis.openapi.from_dict(httpx.get(f"{ingest_url}/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/dispatches", "/dispatches/upload",
                                              "/dispatches/batch"}
    server_errors: list[str] = []
    statuses: list[int] = []
    for operation in operations:
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), key=st.sampled_from(["fuzz-key", "fuzz-key", "bad"]))
        def call(case: Any, key: str) -> None:
            response = case.call(base_url=ingest_url, headers={"X-API-Key": key}, timeout=30)
            statuses.append(response.status_code)
            if response.status_code >= 500 and response.status_code != 503:
                server_errors.append(f"{case.method} {case.path}: {response.status_code} "
                                     f"{response.text[:200]}")

        call()
    assert server_errors == []
    assert len(statuses) >= 2 * len(operations)
    assert {401, 422} <= set(statuses) and {200, 202} & set(statuses), sorted(set(statuses))
