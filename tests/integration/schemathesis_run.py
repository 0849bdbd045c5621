"""Generated requests against a running service's own OpenAPI schema, for the fuzz tests.

``fuzz`` fetches ``/openapi.json``, lets schemathesis generate ``examples`` requests per operation,
valid and invalid by the schema (each with one of the given header sets, so requests get past
authentication as well as not), and reports every status and every server error with its request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode


@dataclass
class FuzzReport:
    """What the generated requests got back."""

    paths: set[str] = field(default_factory=set)
    statuses: list[int] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)


def fuzz(base_url: str, header_sets: Sequence[dict[str, str]], examples: int,
         allowed_5xx: frozenset[tuple[str, int]] = frozenset()) -> FuzzReport:
    """Call every operation of ``base_url``'s schema ``examples`` times; 5xx answers are errors
    unless ``(path, status)`` is in ``allowed_5xx`` (e.g. ``("/ready", 503)``)."""
    schema = schemathesis.openapi.from_dict(httpx.get(f"{base_url}/openapi.json").json())
    report = FuzzReport()
    for operation in (result.ok() for result in schema.get_all_operations()):
        report.paths.add(operation.path)

        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)),
               headers=st.sampled_from(list(header_sets)))
        def call(case: Any, headers: dict[str, str]) -> None:
            response = case.call(base_url=base_url, headers=headers, timeout=30)
            report.statuses.append(response.status_code)
            if response.status_code >= 500 and (case.path, response.status_code) not in allowed_5xx:
                report.server_errors.append(
                    f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.200}"
                    f" -> {response.status_code} {response.text[:200]}")

        call()
    return report
