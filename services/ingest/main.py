"""Ingest service: wiring only (settings + broker + HTTP routes → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.ingest.api import dispatch_router
from shared.kafka import make_broker
from shared.logging import configure_logging
from shared.runtime import serve, service_app
from shared.settings import IngestSettings


def build_app(settings: IngestSettings | None = None) -> FastAPI:
    """Assemble the ingest API."""
    settings = settings or IngestSettings()
    broker = make_broker(settings, "ingest")
    app = service_app(name="ingest", settings=settings, broker=broker)
    app.include_router(dispatch_router(broker, settings.ingest_tracker_url))
    return app


def run() -> None:
    """Entry point of ``vanthu-ingest``."""
    settings = IngestSettings()
    configure_logging("ingest", settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, settings.ingest_port)


if __name__ == "__main__":
    run()
