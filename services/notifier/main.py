"""Notifier service: wiring only (settings + policy + directory + channels + handlers → app)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from services.notifier.api import notifier_router
from services.notifier.blocker_handler import BlockerNotices
from services.notifier.channels.build import build_delivery, zalo_app_config
from services.notifier.coalescing import Coalescer
from services.notifier.digest_job import DigestJob
from services.notifier.directory import YamlDirectory
from services.notifier.extension_handler import ExtensionNotices
from services.notifier.handlers import NotifierHandlers, register
from services.notifier.holding import HeldNotifications
from services.notifier.immediate_notices import register_immediate
from services.notifier.lifecycle import BackgroundLoops
from services.notifier.policy import load_policy
from services.notifier.repository import NotificationRepository, ZaloTokenRepository
from services.notifier.settings import NotifierSettings
from services.notifier.sweep import ClaimSweeper
from services.notifier.withdrawal_handler import WithdrawalNotices
from services.notifier.zalo_tokens import ZaloTokens
from shared.clock import SystemClock
from shared.kafka import make_broker
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation
from shared.runtime import run_service, service_app
from shared.tokens import TokenRegistry


def build_app(settings: NotifierSettings | None = None) -> FastAPI:
    """Assemble the notifier."""
    settings = settings or NotifierSettings()
    policy = load_policy(settings.config_path(settings.notifier_policy_file))
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    directory = YamlDirectory(organisation)
    broker = make_broker(settings, "notifier")
    mongo = make_mongo_client(settings)
    repo = NotificationRepository(database(mongo, settings))
    clock = settings.clock()
    handlers: NotifierHandlers
    zalo_app = zalo_app_config(settings)
    zalo_tokens = ZaloTokens(zalo_app, ZaloTokenRepository(database(mongo, settings)),
                             SystemClock().now) if zalo_app.renews else None
    delivery = build_delivery(settings, repo, policy.letter,
                              lambda notice: handlers.dead_letter_notice(notice), zalo_tokens)
    held = HeldNotifications(Coalescer(settings.fold_window(policy.fold_window_minutes), clock), repo)
    handlers = NotifierHandlers(policy, directory, held, delivery, broker, clock)
    register(broker, settings, handlers)
    for immediate in (BlockerNotices, ExtensionNotices, WithdrawalNotices):
        register_immediate(broker, settings, immediate(directory, delivery, broker,
                                                       settings.notifier_tracker_url))
    sweeper = ClaimSweeper(repo, repo, handlers.dead_letter_notice, SystemClock(),
                           timedelta(seconds=settings.notifier_claim_lease_s))
    digest = DigestJob(tracker_url=settings.notifier_tracker_url,
                       tracker_token=settings.notifier_tracker_token, policy=policy,
                       directory=directory, delivery=delivery, clock=clock,
                       calendar=organisation.work_calendar(), speed=settings.clock_speed)
    loops = BackgroundLoops(prepare=[repo.create_indexes, held.load], flush=handlers.flush,
                            sweep=sweeper.sweep, sweep_interval_s=settings.notifier_sweep_interval_s,
                            digest=digest.run_forever if settings.notifier_tracker_token else None)
    app = service_app(name="notifier", settings=settings, broker=broker, mongo=mongo,
                      on_start=loops.start, on_stop=loops.stop)
    app.include_router(notifier_router(repo, digest, TokenRegistry.parse(
        settings.notifier_access_tokens)))
    return app


def run() -> None:
    """Entry point of ``vanthu-notifier``."""
    run_service("notifier", NotifierSettings, build_app, lambda s: s.notifier_port)


if __name__ == "__main__":
    run()
