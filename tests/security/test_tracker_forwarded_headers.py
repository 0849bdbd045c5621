"""A real tracker process trusts no ``X-Forwarded-*`` header unless TRACKER_TRUSTED_PROXY says so.

uvicorn rewrites the client address and scheme from ``X-Forwarded-For``/``-Proto`` for loopback
peers by default; with that on, a client could send a new ``X-Forwarded-For`` with every wrong login
and never meet the login throttle. Before ``serve`` turned the rewriting off, this test got 401 six
times instead of 429.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.service_process import running_services
from tools.fleet import ServiceFleet

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def tracker(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceFleet]:
    with running_services(infra, tmp_path_factory.mktemp("forwarded"), ("tracker",),
                          TRACKER_LOGIN_MAX_FAILURES="3", TRACKER_LOGIN_WINDOW_S="600") as fleet:
        yield fleet


def _wrong_login(client: httpx.Client, forwarded_for: str) -> httpx.Response:
    form = client.get("/dashboard/login")
    csrf = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert csrf, form.text[:300]
    return client.post("/dashboard/login", headers={"X-Forwarded-For": forwarded_for,
                                                    "X-Forwarded-Proto": "https"},
                       data={"token": "wrong", "csrf": csrf.group(1), "next": "/dashboard"})


def test_a_forged_forwarded_for_does_not_escape_the_login_throttle(tracker: ServiceFleet) -> None:
    with httpx.Client(base_url=tracker.url("tracker"), timeout=10) as client:
        answers = [_wrong_login(client, f"203.0.113.{n}").status_code for n in range(6)]
    assert answers[:3] == [401, 401, 401], answers
    assert answers[3:] == [429, 429, 429], answers


def test_a_forged_forwarded_proto_does_not_mark_the_request_as_tls(tracker: ServiceFleet) -> None:
    with httpx.Client(base_url=tracker.url("tracker"), timeout=10) as client:
        form = client.get("/dashboard/login", headers={"X-Forwarded-Proto": "https"})
    cookie = form.headers.get("set-cookie", "")
    assert cookie, form.headers
    assert "secure" not in cookie.lower(), cookie
