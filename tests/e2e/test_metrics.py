"""Prometheus (Debian's package) scrapes the four services while dispatches flow, and its HTTP API
shows the counters moving; promtool finds deploy/'s configuration and alert rules valid, and the
rules fire on what they name (tests/e2e/alerts_test.yml)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared import topics
from tests.e2e.conftest import Stack
from tools.infra.paths import REPO_ROOT, free_port
from tools.infra.prometheus import PrometheusNode, promtool

pytestmark = pytest.mark.infra
DEPLOY = REPO_ROOT / "deploy"
FLOWING = (topics.DISPATCH_RECEIVED, topics.DISPATCH_ASSIGNED, topics.UNIT_RESPONDED,
           topics.ASSIGNMENT_STATUS_CHANGED, topics.ASSIGNMENT_OVERDUE)
"""The topics two dispatches, one acknowledgement and a passed deadline put events on."""


def test_promtool_finds_the_operators_kit_valid_and_the_alerts_fire_as_named() -> None:
    promtool("check", "config", str(DEPLOY / "prometheus.yml"))  # with alerts.yml, its rule file
    promtool("check", "rules", str(DEPLOY / "alerts.yml"))
    promtool("test", "rules", str(Path(__file__).with_name("alerts_test.yml")))


def _moving(prometheus: PrometheusNode) -> dict[str, bool]:
    """What the test waits for, each by a query to Prometheus's HTTP API."""
    def values(promql: str) -> dict[str, float]:
        return {"/".join(r["metric"].values()): float(r["value"][1])
                for r in prometheus.query(promql)}

    processed = values("sum by (topic) (vanthu_events_processed_total)")
    lag_jobs = values("count by (job) (vanthu_consumer_lag)")
    http = values('sum(vanthu_http_requests_total{job="ingest", method="POST", '
                  'route="/dispatches", status="202"})')
    checks = {f"processed on {topic}": processed.get(topic, 0) > 0 for topic in FLOWING}
    checks |= {f"lag series of {job}": lag_jobs.get(job, 0) > 0
               for job in ("ingest", "router", "tracker", "notifier")}
    checks["ingest's POST /dispatches 202"] = sum(http.values()) >= 2
    checks["timers due"] = sum(values("vanthu_tracker_timers_due_total").values()) > 0
    checks["overdue level 1 mailed"] = sum(values(
        'vanthu_notifications_sent_total{signal="overdue", level="1", channel="email"}').values()) > 0
    return checks


def test_prometheus_sees_the_counters_move_while_dispatches_flow(
    start_stack: Callable[..., Stack], tmp_path: Path
) -> None:
    stack = start_stack()
    prometheus = PrometheusNode(tmp_path / "prometheus", free_port(), {
        service: stack.url(service).removeprefix("http://")
        for service in ("ingest", "router", "tracker", "notifier")})
    prometheus.start()
    try:
        started = time.monotonic()
        due_at = (datetime.now(UTC) + timedelta(days=3)).isoformat()
        first = stack.post_dispatch(subject="V/v báo cáo số liệu", issuer="CỤC THỐNG KÊ TỈNH",
                                    due_at=due_at)
        stack.post_dispatch(subject="V/v cung cấp thông tin", issuer="CỤC THỐNG KÊ TỈNH",
                            due_at=due_at)
        deadline = time.monotonic() + 30
        while not (stack.view(first) or {}).get("assignments") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert stack.respond(first, "VP", "acknowledge").status_code == 202
        stack.advance(3 * 86400 + 60)  # past both deadlines: overdue signals, then mail
        checks: dict[str, bool] = {}
        while time.monotonic() < started + 45:
            checks = _moving(prometheus)
            if all(checks.values()):
                break
            time.sleep(0.5)
        assert all(checks.values()), [name for name, ok in checks.items() if not ok]
        assert [r["value"][1] for r in prometheus.query("min(up)")] == ["1"]
        assert time.monotonic() - started < 60
    finally:
        prometheus.stop()
