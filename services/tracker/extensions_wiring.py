"""Mounting deadline extensions on the tracker: the store, the consumers (and the events they
publish, for the AsyncAPI document), the API. Called once by ``services/tracker/main.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from services.tracker.access import AccessControl
from services.tracker.extensions_api import extensions_router
from services.tracker.extensions_flow import Extensions
from services.tracker.extensions_handlers import ExtensionHandlers, register_extensions
from services.tracker.records import CheckRecord
from services.tracker.repository import TrackerRepository
from services.tracker.repository.extensions import ExtensionRepository
from services.tracker.settings import TrackerSettings
from shared.clock import Clock
from shared.workdays import WorkCalendar


def mount_extensions(app: FastAPI, requests: ExtensionRepository, repo: TrackerRepository,
                     broker: KafkaBroker, clock: Clock, settings: TrackerSettings,
                     access: AccessControl, calendar: WorkCalendar,
                     watch: Callable[[CheckRecord], None]) -> Extensions:
    """Subscribe the extension consumers, include the routes; return the one path of asking and
    deciding."""
    cap = settings.tracker_extension_cap
    register_extensions(broker, settings, ExtensionHandlers(
        repo, requests, broker, calendar, settings.tracker_approach_working_days, cap, watch))
    extensions = Extensions(repo, requests, broker, clock, cap)
    app.include_router(extensions_router(extensions, access))
    return extensions
