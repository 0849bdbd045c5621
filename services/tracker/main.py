"""Tracker service: wiring only (settings + broker + Mongo + handlers + scanner → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.tracker.api import clock_router, query_router
from services.tracker.handlers import register
from services.tracker.repository import TrackerRepository
from services.tracker.scanner import OverdueScanner
from shared.clock import OffsetClock
from shared.kafka import make_broker
from shared.logging import configure_logging
from shared.mongo import database, make_mongo_client
from shared.runtime import serve, service_app
from shared.settings import TrackerSettings


def build_app(settings: TrackerSettings | None = None) -> FastAPI:
    """Assemble the tracker."""
    settings = settings or TrackerSettings()
    broker = make_broker(settings, "tracker")
    mongo = make_mongo_client(settings)
    repo = TrackerRepository(database(mongo, settings))
    clock = OffsetClock(speed=settings.tracker_clock_speed)
    scanner = OverdueScanner(repo, broker, clock, settings.tracker_scan_interval_s)
    register(broker, settings, repo)

    async def on_start() -> None:
        await repo.create_indexes()
        await scanner.start()

    app = service_app(name="tracker", settings=settings, broker=broker, mongo=mongo,
                      on_start=on_start, on_stop=scanner.stop)
    app.include_router(query_router(repo))
    if settings.tracker_clock_control:
        app.include_router(clock_router(clock))
    return app


def run() -> None:
    """Entry point of ``vanthu-tracker``."""
    settings = TrackerSettings()
    configure_logging("tracker", settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, settings.tracker_port)


if __name__ == "__main__":
    run()
