"""The leadership dashboard (issue 8): Vietnamese, server-rendered pages served by the tracker.

``dashboard_router`` is the one thing ``services/tracker/main.py`` mounts. The pages only read the
tracker's collections; see docs/decisions/0008-dashboard.md.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.tracker.access import AccessControl
from services.tracker.dashboard.queries import DashboardQueries
from services.tracker.dashboard.routes import dashboard_pages
from services.tracker.dashboard.sessions import Sessions
from services.tracker.dashboard.signin import SignIn
from services.tracker.dashboard.throttle import LoginThrottle
from services.tracker.repository import TrackerRepository
from services.tracker.settings import TrackerSettings
from shared.clock import Clock
from shared.organisation import load_organisation


def make_signin(repo: TrackerRepository, access: AccessControl,
                settings: TrackerSettings) -> SignIn:
    """The dashboard's sign-in (sessions in ``repo``, throttling per process) from the settings."""
    return SignIn(access, Sessions(repo, settings.tracker_session_ttl_s),
                  LoginThrottle(settings.tracker_login_max_failures,
                                settings.tracker_login_window_s),
                  ttl_s=settings.tracker_session_ttl_s,
                  trusted_proxy=settings.tracker_trusted_proxy)


def dashboard_router(repo: TrackerRepository, access: AccessControl, clock: Clock,
                     settings: TrackerSettings, signin: SignIn | None = None) -> APIRouter:
    """The dashboard's routes, reading ``repo`` and naming units from the organisation file."""
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    names = {unit.code: unit.name for unit in organisation.units}
    signin = signin or make_signin(repo, access, settings)
    return dashboard_pages(DashboardQueries(repo), signin, clock, names,
                           settings.tracker_review_threshold)


__all__ = ["SignIn", "dashboard_router", "make_signin"]
