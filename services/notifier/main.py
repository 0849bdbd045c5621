"""Notifier service: wiring only (settings + broker + Mongo + handlers → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.notifier.handlers import history_router, register
from services.notifier.repository import NotificationRepository
from shared.kafka import make_broker
from shared.logging import configure_logging
from shared.mongo import database, make_mongo_client
from shared.runtime import serve, service_app
from shared.settings import NotifierSettings


def build_app(settings: NotifierSettings | None = None) -> FastAPI:
    """Assemble the notifier."""
    settings = settings or NotifierSettings()
    broker = make_broker(settings, "notifier")
    mongo = make_mongo_client(settings)
    repo = NotificationRepository(database(mongo, settings))
    register(broker, settings, repo)
    app = service_app(name="notifier", settings=settings, broker=broker, mongo=mongo,
                      on_start=repo.create_indexes)
    app.include_router(history_router(repo))
    return app


def run() -> None:
    """Entry point of ``vanthu-notifier``."""
    settings = NotifierSettings()
    configure_logging("notifier", settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, settings.notifier_port)


if __name__ == "__main__":
    run()
