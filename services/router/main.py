"""Router service: wiring only (settings + broker + handlers → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.router.handlers import register
from shared.clock import SystemClock
from shared.kafka import make_broker
from shared.logging import configure_logging
from shared.runtime import serve, service_app
from shared.settings import RouterSettings


def build_app(settings: RouterSettings | None = None) -> FastAPI:
    """Assemble the router."""
    settings = settings or RouterSettings()
    broker = make_broker(settings, "router")
    register(broker, settings, SystemClock())
    return service_app(name="router", settings=settings, broker=broker)


def run() -> None:
    """Entry point of ``vanthu-router``."""
    settings = RouterSettings()
    configure_logging("router", settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, settings.router_port)


if __name__ == "__main__":
    run()
