"""Router service: wiring only (settings + organisation + rules + broker + handlers → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.router.handlers import RouterHandlers, register
from services.router.repository import RoutingRepository
from services.router.rules import load_rules
from services.router.settings import RouterSettings
from shared.kafka import make_broker
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation
from shared.runtime import run_service, service_app


def build_app(settings: RouterSettings | None = None) -> FastAPI:
    """Assemble the router; a bad organisation or rules file stops it with the line at fault."""
    settings = settings or RouterSettings()
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    rules = load_rules(settings.config_path(settings.router_rules_file), organisation)
    broker = make_broker(settings, "router")
    mongo = make_mongo_client(settings)
    repo = RoutingRepository(database(mongo, settings))
    register(broker, settings, RouterHandlers(
        broker, repo, organisation, rules, settings.clock()))
    return service_app(name="router", settings=settings, broker=broker, mongo=mongo,
                       on_start=repo.create_indexes)


def run() -> None:
    """Entry point of ``vanthu-router``."""
    run_service("router", RouterSettings, build_app, lambda s: s.router_port)


if __name__ == "__main__":
    run()
