"""Tracker service: wiring only (settings + broker + Mongo + handlers + detector + API → app)."""

from __future__ import annotations

from fastapi import FastAPI

from services.tracker.access import AccessControl
from services.tracker.api import clock_router, tracker_router
from services.tracker.blockers_wiring import mount_blockers
from services.tracker.corrections_wiring import mount_corrections
from services.tracker.dashboard import dashboard_router, make_signin
from services.tracker.deadline_detector import DeadlineDetector
from services.tracker.desk import desk_router, make_desk_signin
from services.tracker.extensions_wiring import mount_extensions
from services.tracker.gate import CredentialsFirst
from services.tracker.gauges import StoreGauges
from services.tracker.handlers import TrackerHandlers, register
from services.tracker.partitions import AssignedPartitions
from services.tracker.repository import TrackerRepository
from services.tracker.repository.blockers import BlockersRepository
from services.tracker.repository.corrections import CorrectionsRepository
from services.tracker.repository.extensions import ExtensionRepository
from services.tracker.repository.people import PeopleRepository
from services.tracker.settings import TrackerSettings
from shared import topics
from shared.kafka import make_broker
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation
from shared.runtime import run_service, service_app


def build_app(settings: TrackerSettings | None = None) -> FastAPI:
    """Assemble the tracker."""
    settings = settings or TrackerSettings()
    broker = make_broker(settings, "tracker")
    mongo = make_mongo_client(settings)
    repo = TrackerRepository(database(mongo, settings))
    people = PeopleRepository(database(mongo, settings))
    extension_requests = ExtensionRepository(database(mongo, settings))
    blockers = BlockersRepository(database(mongo, settings))
    reviews = CorrectionsRepository(database(mongo, settings))
    clock = settings.clock()
    calendar = load_organisation(settings.config_path(settings.organisation_file)).work_calendar()
    owned = AssignedPartitions()  # the timers follow the dispatch.assigned partitions
    detector = DeadlineDetector(repo, broker, clock, settings.tracker_scan_interval_s, owned)
    owned.subscriber = register(broker, settings, TrackerHandlers(
        repo, broker, calendar, settings.tracker_approach_working_days, watch=detector.watch,
        clock=clock)
    )[topics.DISPATCH_ASSIGNED]

    async def on_start() -> None:
        await repo.create_indexes()
        await people.create_indexes()
        await blockers.create_indexes()
        await extension_requests.create_indexes()
        await reviews.create_indexes()
        await detector.start()

    app = service_app(name="tracker", settings=settings, broker=broker, mongo=mongo,
                      on_start=on_start, on_stop=detector.stop,
                      on_scrape=StoreGauges(blockers.count_open,
                                            extension_requests.count_pending).refresh,
                      body_caps={"/desk/respond": 2 * settings.tracker_reply_max_bytes + 65536})
    access = AccessControl(settings.tracker_unit_tokens, settings.tracker_leadership_tokens)
    app.include_router(tracker_router(repo, broker, access, clock))
    signin = make_signin(repo, access, settings)
    app.include_router(dashboard_router(repo, access, clock, settings, signin))
    desk_signin = make_desk_signin(people, settings)
    app.include_router(desk_router(repo, people, broker, clock, settings, desk_signin))
    mount_blockers(app, blockers, repo, desk_signin, broker, clock, settings, access, signin)
    mount_extensions(app, extension_requests, repo, desk_signin, broker, clock, settings, access,
                     signin, calendar, detector.watch)
    mount_corrections(app, repo, reviews, broker, clock, settings, access, signin, desk_signin)
    app.add_middleware(CredentialsFirst, access=access, throttled=signin.throttled)
    if settings.tracker_clock_control:
        app.include_router(clock_router(clock))
    return app


def run() -> None:
    """Entry point of ``vanthu-tracker``."""
    run_service("tracker", TrackerSettings, build_app, lambda s: s.tracker_port)


if __name__ == "__main__":
    run()
