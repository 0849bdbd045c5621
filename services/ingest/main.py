"""Ingest service: wiring only (settings + broker + Mongo + Kafka readiness + admission + HTTP
routes → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.ingest.admission import Admission
from services.ingest.api import dispatch_router
from services.ingest.readiness import KafkaReadiness
from services.ingest.repository import IngestRepository
from services.ingest.route_limits import ContentTypeGuard, body_caps
from services.ingest.settings import IngestSettings
from services.ingest.status_out import StatusOutbox
from shared import topics
from shared.events import AssignmentStatusChanged, DispatchReceived
from shared.kafka import declare_publications, make_broker, subscribe_events
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation
from shared.runtime import run_service, service_app


def build_app(settings: IngestSettings | None = None) -> FastAPI:
    """Assemble the ingest API."""
    settings = settings or IngestSettings()
    broker = make_broker(settings, "ingest")
    mongo = make_mongo_client(settings)
    repo = IngestRepository(database(mongo, settings))
    publisher = broker.publisher(topics.DISPATCH_RECEIVED, title="ingest:received")

    async def publish(event: DispatchReceived) -> None:
        await publisher.publish(event, key=event.dispatch_id.encode())

    readiness = KafkaReadiness(lambda: broker.ping(timeout=1.0))
    admission = Admission(repo, publish, settings.ingest_publish_timeout_s, readiness.ready,
                          readiness.failed)

    async def on_start() -> None:
        await repo.create_indexes()
        await readiness.start()

    app = service_app(name="ingest", settings=settings, broker=broker, mongo=mongo,
                      on_start=on_start, on_stop=readiness.stop,
                      max_body_bytes=settings.ingest_max_file_bytes, body_caps=body_caps(settings))
    app.include_router(dispatch_router(settings, admission, repo, settings.clock()))
    agency = load_organisation(settings.config_path(settings.organisation_file)).name
    declare_publications(broker, "ingest", {topics.DISPATCH_RECEIVED: DispatchReceived})
    subscribe_events(broker, service="ingest", topic=topics.ASSIGNMENT_STATUS_CHANGED,
                     model=AssignmentStatusChanged, group_id="vanthu-ingest-status",
                     handle=StatusOutbox(repo, agency).on_changes,
                     max_attempts=settings.handler_max_attempts)
    app.add_middleware(ContentTypeGuard)
    return app


def run() -> None:
    """Entry point of ``vanthu-ingest``."""
    run_service("ingest", IngestSettings, build_app, lambda s: s.ingest_port)


if __name__ == "__main__":
    run()
