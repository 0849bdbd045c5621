"""Mounting blockers on the tracker: the store, the API, the desk's and the dashboard's pages, and the
events the tracker publishes (for the AsyncAPI document). Called once by ``services/tracker/main.py``.
"""

from __future__ import annotations

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.tracker.access import AccessControl
from services.tracker.blockers_api import blockers_router
from services.tracker.blockers_flow import BlockerDesk
from services.tracker.blockers_pages import blocker_pages
from services.tracker.dashboard.signin import SignIn
from services.tracker.desk.signin import DeskSignIn
from services.tracker.repository import TrackerRepository
from services.tracker.repository.blockers import BlockersRepository
from services.tracker.settings import TrackerSettings
from shared import topics
from shared.clock import Clock
from shared.events_blockers import BlockerDirected, BlockerReported
from shared.kafka import declare_publications
from shared.organisation import load_organisation


def mount_blockers(app: FastAPI, store: BlockersRepository, repo: TrackerRepository,
                   desk_signin: DeskSignIn,
                   broker: KafkaBroker, clock: Clock, settings: TrackerSettings,
                   access: AccessControl, signin: SignIn) -> None:
    """Include the blockers' routes in ``app`` and declare their events."""
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    names = {unit.code: unit.name for unit in organisation.units}
    desk = BlockerDesk(repo, store, broker, clock, organisation.work_calendar())
    declare_publications(broker, "tracker", {topics.BLOCKER_REPORTED: BlockerReported,
                                             topics.BLOCKER_DIRECTED: BlockerDirected})
    app.include_router(blockers_router(desk, access, names))
    app.include_router(blocker_pages(desk, desk_signin, signin, names))
