"""Every Prometheus metric of the four services, defined once, and what ``GET /metrics`` answers.

The metrics live in one per-process registry, :data:`REGISTRY` (not ``prometheus_client``'s global
one), so building two services' apps in one process (tests) never registers a metric twice; both
then report into the same series, told apart by their labels. Names follow Prometheus conventions
(``vanthu_…_total`` counters, ``_seconds`` in base units) and every label takes a bounded set of
values: a topic, a consumer group, a route template, a status code, a signal kind; never a
dispatch id.

Where each is counted: HTTP requests by :class:`HttpMetrics` (outermost ASGI layer of every
service, see ``shared.runtime``); events by ``shared.kafka.subscribe_events`` and dead letters by
``shared.kafka.publish_dead_letter``; consumer lag and idleness by :class:`ConsumerMetrics`, asked
of Kafka at each scrape through ``shared.watchdog``; the notifier's and the tracker's own metrics
where those services decide them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from starlette.routing import BaseRoute, Mount

from shared.logging import get_logger
from shared.request_guard import ASGIApp, Message, Receive, Send
from shared.watchdog import WATCHDOG, ConsumerWatchdog

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
"""The exposition format every Prometheus 2 and 3 reads."""
disable_created_metrics()  # type: ignore[no-untyped-call]  # no ``_created`` series: half the lines
REGISTRY = CollectorRegistry()
"""This process's metrics (plus the process collector's CPU, memory and file descriptors); a
service's own ones (:data:`SERVICE_METRICS`) join it when its app is built (:func:`register_for`)."""
for _collector in (ProcessCollector, PlatformCollector, GCCollector):
    _collector(registry=REGISTRY)
log = get_logger(__name__)

HTTP_REQUESTS = Counter("vanthu_http_requests_total", "HTTP requests answered, by route template "
                        "and status (a refusal by the request guard included).",
                        ["method", "route", "status"], registry=REGISTRY)
HTTP_SECONDS = Histogram("vanthu_http_request_duration_seconds", "Time to answer an HTTP request.",
                         ["method", "route"], registry=REGISTRY)
EVENTS_PROCESSED = Counter("vanthu_events_processed_total",
                           "Consumed events handled successfully.", ["group", "topic"],
                           registry=REGISTRY)
EVENTS_RETRIED = Counter("vanthu_events_retried_total", "Consumed events whose batch failed and "
                         "will be delivered again.", ["group", "topic"], registry=REGISTRY)
EVENTS_DEAD_LETTERED = Counter("vanthu_events_dead_lettered_total", "Dead letters published, by "
                               "the service and the topic (or 'notifications') they come from.",
                               ["service", "topic"], registry=REGISTRY)
HANDLER_SECONDS = Histogram("vanthu_handler_duration_seconds", "Time a consumer's handler took "
                            "for one batch (failed attempts included).", ["group", "topic"],
                            registry=REGISTRY)
NOTIFICATIONS_SENT = Counter("vanthu_notifications_sent_total", "Notifications delivered (one per "
                             "dedup key; escalations are signal=overdue with their level).",
                             ["signal", "level", "channel"], registry=None)
DELIVERIES_FAILED = Counter("vanthu_notification_deliveries_failed_total", "Notifications given "
                            "up (dead-lettered), by signal, channel and the step that failed.",
                            ["signal", "channel", "step"], registry=None)
TIMERS_LOADED = Counter("vanthu_tracker_timers_loaded_total", "Deadline timers loaded from the "
                        "store for partitions taken over.", registry=None)
TIMER_LOAD_SECONDS = Histogram("vanthu_tracker_timer_load_seconds", "Time to load the timers of "
                               "the partitions taken over.", registry=None,
                               buckets=(0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600))
TIMER_LOADS_RUNNING = Gauge("vanthu_tracker_timer_loads_in_progress", "Timer loads running now.",
                            registry=None)
TIMERS_DUE = Counter("vanthu_tracker_timers_due_total", "Deadline timers that came due and were "
                     "looked at.", registry=None)
TIMERS_WAITING = Gauge("vanthu_tracker_timers", "Deadline timers held in memory.", registry=None)
OPEN_BLOCKERS = Gauge("vanthu_tracker_open_blockers", "Blockers waiting for a direction (the "
                      "whole store: take max, not sum, over tracker replicas).", registry=None)
PENDING_EXTENSIONS = Gauge("vanthu_tracker_pending_extension_requests", "Requests for a later "
                           "deadline not decided yet (the whole store: take max over replicas).",
                           registry=None)
SERVICE_METRICS: dict[str, tuple[Collector, ...]] = {
    "notifier": (NOTIFICATIONS_SENT, DELIVERIES_FAILED),
    "tracker": (TIMERS_LOADED, TIMER_LOAD_SECONDS, TIMER_LOADS_RUNNING, TIMERS_DUE, TIMERS_WAITING,
                OPEN_BLOCKERS, PENDING_EXTENSIONS),
}
"""The metrics only one service has: a router does not report the tracker's timers as 0."""
_registered: set[str] = set()


def register_for(service: str) -> None:
    """Add ``service``'s own metrics to :data:`REGISTRY` (once per process)."""
    if service in SERVICE_METRICS and service not in _registered:
        _registered.add(service)
        for collector in SERVICE_METRICS[service]:
            REGISTRY.register(collector)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"


def route_template(scope: MutableMapping[str, Any], mounts: Sequence[BaseRoute], path: str) -> str:
    """The template of the route that took the request (``/dispatches/{dispatch_id}``, as the
    router left it in ``scope``; also for a 405), else the prefix of the mount ``path`` went to,
    else ``unmatched``: a 404, or a refusal before routing (the request guard's 400/413/431, the
    tracker's credentials gate, ingest's content-type check). Never the raw path."""
    template = getattr(scope.get("route"), "path", None)
    if isinstance(template, str):
        return template
    for mount in mounts:
        if isinstance(mount, Mount) and path.startswith(f"{mount.path}/"):
            return mount.path
    return UNMATCHED


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request (a method outside the usual ones counts as ``other``)."""
    method = method if method in METHODS else "other"
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_SECONDS.labels(method, route).observe(seconds)


class HttpMetrics:
    """ASGI middleware: counts every HTTP request by method, route template and status, once it is
    answered (routing leaves the route in the scope); no answer at all counts as 500."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        """Pass the request on, noting the status it is answered with."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, started, status = scope["path"], time.perf_counter(), 500

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            observe_request(scope["method"], route_template(scope, self.routes, path), status,
                            time.perf_counter() - started)


class ConsumerMetrics(Collector):
    """``vanthu_consumer_lag`` (messages waiting, per group, topic and partition this member holds;
    as Kafka answered at the last :meth:`refresh`), ``vanthu_consumer_lag_known`` (0 when Kafka did
    not answer: the lag series are then absent) and ``vanthu_consumer_idle_seconds`` (since a batch
    was last handled, per group and topic: the watchdog's measure of a stuck consumer)."""

    def __init__(self, watchdog: ConsumerWatchdog) -> None:
        self.watchdog = watchdog
        self.lags: dict[tuple[str, str, int], int] | None = {}

    async def refresh(self, bootstrap: str) -> None:
        """Ask Kafka for the lag of every consumer of this process."""
        self.lags = await self.watchdog.partition_lags(bootstrap) if self.watchdog.consumers else {}

    def collect(self) -> Iterable[Metric]:
        """The three families, from the last refresh and the watchdog's bookkeeping."""
        lag = GaugeMetricFamily("vanthu_consumer_lag", "Messages waiting for this consumer, per "
                                "partition it holds.", labels=["group", "topic", "partition"])
        for (group, topic, partition), waiting in sorted((self.lags or {}).items()):
            lag.add_metric([group, topic, str(partition)], waiting)
        yield lag
        yield GaugeMetricFamily("vanthu_consumer_lag_known", "1 when Kafka answered the last lag "
                                "query, else 0.", value=0 if self.lags is None else 1)
        idle = GaugeMetricFamily("vanthu_consumer_idle_seconds", "Seconds since the consumer last "
                                 "handled a batch (or started).", labels=["group", "topic"])
        now = self.watchdog.clock()
        for (group, topic), progress in sorted(self.watchdog.consumers.items()):
            idle.add_metric([group, topic], round(progress.idle_s(now), 3))
        yield idle


CONSUMERS = ConsumerMetrics(WATCHDOG)
REGISTRY.register(CONSUMERS)


async def scrape(bootstrap: str, refresh: Callable[[], Awaitable[None]] | None = None) -> bytes:
    """The text ``/metrics`` answers: consumer lag asked of Kafka at ``bootstrap`` first, then the
    service's own ``refresh`` (its gauges read on scrape); a failing refresh leaves its gauges as
    they were and is logged, the scrape still answers."""
    await CONSUMERS.refresh(bootstrap)
    if refresh is not None:
        try:
            await refresh()
        except Exception as exc:
            log.warning("metrics refresh failed", error=repr(exc)[:300])
    return generate_latest(REGISTRY)
