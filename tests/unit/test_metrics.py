"""shared.metrics: route templates (never raw paths), the HTTP counter on a service's app, the
consumer lag collector, and what /metrics answers."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka import TopicPartition
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from services.router.settings import RouterSettings
from shared.kafka import make_broker
from shared.metrics import REGISTRY, ConsumerMetrics, route_template, scrape
from shared.runtime import service_app
from shared.watchdog import ConsumerWatchdog


def _answered(app: FastAPI, method: str, path: str) -> str:
    """The template a request was counted under, read from the scope after ``app`` answered it."""
    seen: list[str] = []

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        await app(scope, receive, send)
        seen.append(route_template(scope, app.router.routes, path))

    TestClient(spy).request(method, path)
    return seen[0]


def _app() -> FastAPI:
    app, api = FastAPI(), APIRouter()

    @api.get("/dispatches/{dispatch_id}")
    async def one(dispatch_id: str) -> str:
        return dispatch_id

    @api.post("/dispatches")
    async def create() -> None: ...

    app.include_router(api)
    app.mount("/static", FastAPI())
    return app


@pytest.mark.parametrize(("method", "path", "template"), [
    ("GET", "/dispatches/cv-123", "/dispatches/{dispatch_id}"),
    ("POST", "/dispatches", "/dispatches"),
    ("DELETE", "/dispatches", "/dispatches"),        # 405: the path's template, not the raw path
    ("GET", "/static/desk.css", "/static"),           # a mount answers with its prefix
    ("GET", "/wp-admin/../../etc/passwd", "unmatched"),  # 404s share one series
])
def test_a_request_is_labelled_by_its_route_template(method: str, path: str, template: str) -> None:
    assert _answered(_app(), method, path) == template


def test_a_request_refused_before_routing_is_unmatched_whatever_its_path() -> None:
    assert route_template({"type": "http"}, _app().router.routes, "/dispatches/cv-1") == "unmatched"


def _count(route: str, status: str, method: str = "GET") -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("vanthu_http_requests_total", labels) or 0.0


def test_a_services_requests_are_counted_by_template_and_status_refusals_included() -> None:
    settings = RouterSettings(_env_file=None)
    app = service_app(name="router", settings=settings, broker=make_broker(settings, "router"))

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> str:
        return thing_id

    client = TestClient(app)
    before = [_count("/things/{thing_id}", "200"), _count("unmatched", "404"),
              _count("unmatched", "413", "POST"), _count("/health", "405", "other")]
    client.get("/things/a")
    client.get("/things/b")
    client.get("/no/such/path")
    client.post("/health", content=b"x" * 2_000_000)  # refused by the request guard: unrouted
    client.request("BREW", "/health")
    after = [_count("/things/{thing_id}", "200"), _count("unmatched", "404"),
             _count("unmatched", "413", "POST"), _count("/health", "405", "other")]
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 1, 1]
    families = {f.name for f in text_string_to_metric_families(client.get("/metrics").text)}
    assert {"vanthu_http_requests", "vanthu_consumer_lag", "process_cpu_seconds"} <= families


class LagWatchdog(ConsumerWatchdog):
    """Kafka answers with fixed lags, or not at all."""

    answer: dict[tuple[str, str, int], int] | None = None

    async def partition_lags(self, bootstrap: str) -> dict[tuple[str, str, int], int] | None:
        return self.answer


async def test_lag_per_partition_idle_seconds_and_whether_kafka_answered() -> None:
    now = [100.0]
    watchdog = LagWatchdog(clock=lambda: now[0])
    watchdog.register("vanthu-router", "t.received",
                      lambda: {TopicPartition("t.received", 0), TopicPartition("t.received", 1)})
    collector = ConsumerMetrics(watchdog)
    watchdog.answer = {("vanthu-router", "t.received", 0): 3, ("vanthu-router", "t.received", 1): 0}
    await collector.refresh("unused")
    now[0] = 130.0
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in collector.collect() for s in family.samples}
    group, topic = ("group", "vanthu-router"), ("topic", "t.received")
    assert samples[("vanthu_consumer_lag", (group, ("partition", "0"), topic))] == 3
    assert samples[("vanthu_consumer_lag", (group, ("partition", "1"), topic))] == 0
    assert samples[("vanthu_consumer_idle_seconds", (group, topic))] == 30.0
    assert samples[("vanthu_consumer_lag_known", ())] == 1
    watchdog.answer = None  # Kafka does not answer: no stale lag, and the scrape says so
    await collector.refresh("unused")
    names = [s.name for family in collector.collect() for s in family.samples]
    assert "vanthu_consumer_lag" not in names
    assert [s.value for f in collector.collect() for s in f.samples
            if s.name == "vanthu_consumer_lag_known"] == [0]


async def test_a_failing_refresh_still_answers_the_scrape() -> None:
    async def broken() -> None:
        raise ConnectionError("FerretDB unreachable")

    text = (await scrape("127.0.0.1:9", broken)).decode()
    assert "vanthu_consumer_lag_known" in text
