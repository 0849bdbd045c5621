"""Mounting deadline extensions on the tracker: the consumers (and the events they publish, for
the AsyncAPI document), the API, the desk's and the dashboard's pages. Called once by
``services/tracker/main.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.tracker.access import AccessControl
from services.tracker.dashboard.signin import SignIn
from services.tracker.desk.signin import DeskSignIn
from services.tracker.extensions_api import extensions_router
from services.tracker.extensions_flow import Extensions
from services.tracker.extensions_handlers import ExtensionHandlers, register_extensions
from services.tracker.extensions_pages import extension_pages
from services.tracker.records import CheckRecord
from services.tracker.repository import TrackerRepository
from services.tracker.repository.extensions import ExtensionRepository
from services.tracker.settings import TrackerSettings
from shared.clock import Clock
from shared.organisation import load_organisation
from shared.workdays import WorkCalendar


def mount_extensions(app: FastAPI, requests: ExtensionRepository, repo: TrackerRepository,
                     desk_signin: DeskSignIn, broker: KafkaBroker, clock: Clock,
                     settings: TrackerSettings, access: AccessControl, signin: SignIn,
                     calendar: WorkCalendar, watch: Callable[[CheckRecord], None]) -> Extensions:
    """Subscribe the extension consumers, include the routes; return the one path of asking and
    deciding."""
    cap = settings.tracker_extension_cap
    register_extensions(broker, settings, ExtensionHandlers(
        repo, requests, broker, calendar, settings.tracker_approach_working_days, cap, watch))
    extensions = Extensions(repo, requests, broker, clock, cap)
    app.include_router(extensions_router(extensions, access))
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    app.include_router(extension_pages(extensions, desk_signin, signin,
                                       {unit.code: unit.name for unit in organisation.units}))
    return extensions
