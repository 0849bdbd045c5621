"""The units' desk (issue 16): named people of a unit sign in, see their work, answer it, and the
unit head hands it to a staff member (announced on ``vanthu.assignment.handedover.v1``). Served by
the tracker under ``/desk``; ``desk_router`` is the one thing ``services/tracker/main.py`` mounts.
"""

from __future__ import annotations

from fastapi import APIRouter
from faststream.kafka import KafkaBroker

from services.tracker.dashboard.throttle import LoginThrottle
from services.tracker.desk.routes import ReplyLimits, desk_pages
from services.tracker.desk.signin import DeskSignIn
from services.tracker.repository import TrackerRepository
from services.tracker.repository.people import PeopleRepository
from services.tracker.settings import TrackerSettings
from shared import topics
from shared.clock import Clock
from shared.events_handover import AssignmentHandedOver
from shared.kafka import declare_publications
from shared.organisation import load_organisation


def make_desk_signin(people: PeopleRepository, settings: TrackerSettings) -> DeskSignIn:
    """The desk's one sign-in (sessions of people, throttling per process) from the settings: the
    desk, and the blockers' and extensions' desk pages, share it."""
    return DeskSignIn(people, LoginThrottle(settings.tracker_login_max_failures,
                                            settings.tracker_login_window_s),
                      ttl_s=settings.tracker_session_ttl_s,
                      trusted_proxy=settings.tracker_trusted_proxy)


def desk_router(repo: TrackerRepository, people: PeopleRepository, broker: KafkaBroker,
                clock: Clock, settings: TrackerSettings, signin: DeskSignIn) -> APIRouter:
    """The desk's routes, from the settings and the organisation file."""
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    limits = ReplyLimits(settings.tracker_reply_max_bytes,
                         frozenset(t.strip().lower().lstrip(".")
                                   for t in settings.tracker_reply_types.split(",") if t.strip()))
    declare_publications(broker, "tracker", {topics.ASSIGNMENT_HANDED_OVER: AssignmentHandedOver})
    return desk_pages(repo, people, broker, clock, organisation.work_calendar(),
                      {unit.code: unit.name for unit in organisation.units}, signin, limits,
                      {unit.code: unit.head.title for unit in organisation.units})


__all__ = ["desk_router"]
