"""Notifier service: wiring only (settings + policy + directory + channels + handlers → app)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from fastapi import FastAPI
from pydantic import SecretStr

from services.notifier.api import notifier_router
from services.notifier.background import every
from services.notifier.channels.base import Channel
from services.notifier.channels.email import EmailChannel, SmtpConfig
from services.notifier.channels.log import LogChannel
from services.notifier.channels.webhook import WebhookChannel, WebhookConfig
from services.notifier.coalescing import Coalescer
from services.notifier.delivery import DeliveryService, RetryPolicy
from services.notifier.digest_job import DigestJob
from services.notifier.directory import YamlDirectory
from services.notifier.handlers import NotifierHandlers, register
from services.notifier.holding import HeldNotifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.repository import NotificationRepository
from services.notifier.settings import NotifierSettings
from services.notifier.sweep import ClaimSweeper
from shared.clock import SystemClock
from shared.kafka import make_broker
from shared.logging import configure_logging, get_logger
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation
from shared.runtime import serve, service_app
from shared.tokens import TokenRegistry

log = get_logger(__name__)


def build_app(settings: NotifierSettings | None = None) -> FastAPI:
    """Assemble the notifier."""
    settings = settings or NotifierSettings()
    policy = load_policy(settings.config_path(settings.notifier_policy_file))
    directory = YamlDirectory.from_file(str(settings.config_path(settings.organisation_file)))
    tokens = TokenRegistry.parse(settings.notifier_access_tokens)
    broker = make_broker(settings, "notifier")
    mongo = make_mongo_client(settings)
    repo = NotificationRepository(database(mongo, settings))
    clock = settings.clock()
    smtp = SmtpConfig(host=settings.notifier_smtp_host, port=settings.notifier_smtp_port,
                      starttls=True if settings.notifier_smtp_starttls else None,
                      username=settings.notifier_smtp_username or None,
                      password=SecretStr(settings.notifier_smtp_password)
                      if settings.notifier_smtp_password else None,
                      sender=settings.notifier_smtp_sender)
    channels: dict[str, Channel] = {"email": EmailChannel(smtp), "log": LogChannel(),
                "webhook": WebhookChannel(WebhookConfig(
                    secret=SecretStr(settings.notifier_webhook_secret)))}
    window = policy.fold_window_minutes if settings.notifier_fold_window_minutes < 0 \
        else settings.notifier_fold_window_minutes
    handlers: NotifierHandlers
    delivery = DeliveryService(
        channels, repo, MessageRenderer(settings.notifier_tracker_url, policy.letter),
        RetryPolicy(max_attempts=settings.notifier_retry_attempts,
                    base_delay_s=settings.notifier_retry_base_delay_s),
        on_dead_letter=lambda notice: handlers.dead_letter_notice(notice))
    held = HeldNotifications(Coalescer(timedelta(minutes=window), clock), repo)
    handlers = NotifierHandlers(policy, directory, held, delivery, broker, clock)
    register(broker, settings, handlers)
    sweeper = ClaimSweeper(repo, repo, handlers.dead_letter_notice, SystemClock(),
                           timedelta(seconds=settings.notifier_claim_lease_s))
    calendar = load_organisation(settings.config_path(settings.organisation_file)).work_calendar()
    digest = DigestJob(tracker_url=settings.notifier_tracker_url,
                       tracker_token=settings.notifier_tracker_token, policy=policy,
                       directory=directory, delivery=delivery, clock=clock, calendar=calendar,
                       speed=settings.clock_speed)
    tasks: list[asyncio.Task[None]] = []

    async def on_start() -> None:
        await repo.create_indexes()
        await held.load()
        tasks.append(asyncio.create_task(every(1.0, "flush", handlers.flush), name="flush"))
        tasks.append(asyncio.create_task(every(settings.notifier_sweep_interval_s, "sweep",
                                               sweeper.sweep), name="stale-claim-sweep"))
        if settings.notifier_tracker_token:
            tasks.append(asyncio.create_task(digest.run_forever(), name="daily-digest"))

    async def on_stop() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await handlers.flush(everything=True)
        except Exception:  # they stay in held_notifications: the next start sends them
            log.exception("held notifications not flushed at shutdown; kept for the next start")

    app = service_app(name="notifier", settings=settings, broker=broker, mongo=mongo,
                      on_start=on_start, on_stop=on_stop)
    app.include_router(notifier_router(repo, digest, tokens))
    return app


def run() -> None:
    """Entry point of ``vanthu-notifier``."""
    settings = NotifierSettings()
    configure_logging("notifier", settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, settings.notifier_port)


if __name__ == "__main__":
    run()
