"""How a service process runs: one FastAPI app whose lifespan starts Kafka (and MongoDB) resources.

Every service answers ``GET /health`` (liveness: the process serves HTTP) and ``GET /ready`` (200 when
its broker and database answer and no consumer is stuck, see ``shared.watchdog``; 503 otherwise),
which the launcher and tests wait on, and ``GET /metrics`` (Prometheus text, ``shared.metrics``;
unauthenticated like the two others: keep the ports on the internal network). Every request is
logged once, with its ``dispatch_id`` when the route set one, and counted by route template.
``serve`` runs the app under uvicorn until SIGTERM or Ctrl-C; ``run_service`` is every service's
entry point: settings -> logging -> app -> serve.

Before anything else, a service refuses demo or placeholder secrets when it is exposed
(``shared.secrets_policy``), and every request passes ``shared.request_guard`` first, outside all
other middleware: header size and encoding, body size. ``HTTP_DOCS`` switches the API docs off.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from shared.kafka import ensure_topics, start_broker
from shared.logging import configure_logging, get_logger
from shared.metrics import CONTENT_TYPE, HttpMetrics, register_for, scrape
from shared.request_guard import ASGIApp, GuardLimits, RequestGuard
from shared.secrets_policy import enforce
from shared.settings import ServiceSettings
from shared.watchdog import WATCHDOG

Hook = Callable[[], Awaitable[None]]
SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


class GuardedApp(FastAPI):
    """A FastAPI app whose request guard stays the outermost layer, whatever middleware is added
    (only the HTTP metrics are outside it, so that its refusals are counted too)."""

    guard_limits: GuardLimits

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack (error handling, added middleware, routes) inside the guard."""
        return HttpMetrics(RequestGuard(super().build_middleware_stack(), self.guard_limits),
                           self.router.routes)


def service_app(
    *,
    name: str,
    settings: ServiceSettings,
    broker: KafkaBroker,
    mongo: AsyncMongoClient[dict[str, Any]] | None = None,
    on_start: Hook | None = None,
    on_stop: Hook | None = None,
    max_body_bytes: int | None = None,
    body_caps: Mapping[str, int] | None = None,
    on_scrape: Hook | None = None,
) -> FastAPI:
    """Build the service's FastAPI app with a lifespan, the request guard, health endpoints and
    metrics.

    ``max_body_bytes`` is the service's body cap when it needs more than ``HTTP_MAX_BODY_BYTES``
    (ingest's uploads); ``body_caps`` gives single paths their own cap; ``on_scrape`` refreshes the
    service's own gauges before ``/metrics`` answers. Exits
    (``SecretsRefused``) if the secrets policy refuses ``settings``.
    """
    enforce(name, settings)
    register_for(name)
    log = get_logger(name)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await ensure_topics(settings)
        await start_broker(broker)
        if on_start is not None:
            await on_start()
        log.info("service started", kafka=settings.kafka_bootstrap_servers)
        try:
            yield
        finally:
            if on_stop is not None:
                await on_stop()
            await broker.stop()
            await WATCHDOG.close()
            if mongo is not None:
                await mongo.close()
            log.info("service stopped")

    docs = settings.docs_enabled()
    app = GuardedApp(title=f"Vanthu {name}", lifespan=lifespan,
                     openapi_url="/openapi.json" if docs else None,
                     docs_url="/docs" if docs else None, redoc_url="/redoc" if docs else None)
    app.guard_limits = GuardLimits(
        max_body_bytes=max(settings.http_max_body_bytes, max_body_bytes or 0),
        max_header_bytes=settings.http_max_header_bytes, body_caps=dict(body_caps or {}))
    app.state.broker = broker  # for the AsyncAPI document
    access = get_logger("access")

    @app.middleware("http")
    async def access_log(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                         ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        if request.url.path not in ("/health", "/ready", "/metrics"):
            access.info("http request", method=request.method, path=request.url.path,
                        status=response.status_code,
                        ms=round((time.perf_counter() - started) * 1000, 1),
                        dispatch_id=getattr(request.state, "dispatch_id", None))
        return response

    @app.get("/health", tags=["ops"], summary="Liveness: the process answers")
    async def health() -> dict[str, Any]:
        return {"service": name, "ok": True}

    @app.get("/ready", tags=["ops"], summary="Readiness: Kafka (and MongoDB) reachable")
    async def ready() -> JSONResponse:
        checks: dict[str, bool] = {"kafka": await broker.ping(timeout=2.0)}
        if mongo is not None:
            try:
                await mongo.admin.command("ping")
                checks["mongodb"] = True
            except Exception:
                checks["mongodb"] = False
        body: dict[str, Any] = {"service": name}
        if WATCHDOG.consumers and checks["kafka"]:
            checks["consumers"], body["consumers"] = await WATCHDOG.report(
                settings.kafka_bootstrap_servers)
        ok = all(checks.values())
        return JSONResponse({**body, "ok": ok, "checks": checks}, 200 if ok else 503)

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics (text exposition format)",
             response_class=PlainTextResponse, include_in_schema=False)
    async def metrics() -> Response:
        return Response(await scrape(settings.kafka_bootstrap_servers, on_scrape),
                        media_type=CONTENT_TYPE)

    return app


def serve(app: FastAPI, host: str, port: int) -> None:
    """Run ``app`` under uvicorn; structlog stays the only log format.

    The HTTP parser buffers at most the guard's header cap of an unfinished request head, so an
    endless header is cut off (400) before it can fill memory. uvicorn's own proxy-header rewriting
    is off: a service trusts ``X-Forwarded-*`` only where its settings say a proxy is trusted
    (``TRACKER_TRUSTED_PROXY``), never by default from a loopback peer.

    The event loop is uvloop when it is installed (``loop="auto"``), asyncio otherwise. The HTTP
    parser stays h11 even when httptools is installed: uvicorn's httptools protocol has no cap on
    an unfinished request head, so switching needs a header cap of its own first.
    """
    limits = getattr(app, "guard_limits", None)
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, loop="auto",
                timeout_graceful_shutdown=15, http="h11", proxy_headers=False,
                h11_max_incomplete_event_size=limits.max_header_bytes if limits else None)


def run_service(
    name: str,
    settings_class: Callable[[], SettingsT],
    build_app: Callable[[SettingsT], FastAPI],
    port_of: Callable[[SettingsT], int],
    *,
    serve: Callable[[FastAPI, str, int], None] = serve,
) -> None:
    """Run a service: read its settings, configure logging, build its app and serve it.

    ``settings_class`` reads the environment and ``.env``; ``build_app`` wires the service from
    those settings; ``port_of`` names its HTTP port (e.g. ``INGEST_PORT``). The app listens on
    ``HTTP_HOST``. ``serve`` is uvicorn's (tests pass their own).
    """
    settings = settings_class()
    configure_logging(name, settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, port_of(settings))
