"""Notifier service: wiring only (settings + policy + directory + channels + handlers → app)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from fastapi import FastAPI
from pydantic import SecretStr

from services.notifier.channels.base import Channel
from services.notifier.channels.email import EmailChannel, SmtpConfig
from services.notifier.channels.log import LogChannel
from services.notifier.channels.webhook import WebhookChannel, WebhookConfig
from services.notifier.delivery import DeliveryService, RetryPolicy
from services.notifier.digest_job import DigestJob
from services.notifier.directory import YamlDirectory
from services.notifier.folding import Folder
from services.notifier.handlers import NotifierHandlers, history_router, register
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.notifier.repository import NotificationRepository
from shared.kafka import make_broker
from shared.logging import configure_logging, get_logger
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation
from shared.runtime import serve, service_app
from shared.settings import NotifierSettings

log = get_logger(__name__)


def build_app(settings: NotifierSettings | None = None) -> FastAPI:
    """Assemble the notifier."""
    settings = settings or NotifierSettings()
    policy = load_policy(settings.config_path(settings.notifier_policy_file))
    directory = YamlDirectory.from_file(str(settings.config_path(settings.organisation_file)))
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
    handlers = NotifierHandlers(policy, directory, Folder(timedelta(minutes=window), clock),
                                delivery, broker)
    register(broker, settings, handlers)
    calendar = load_organisation(settings.config_path(settings.organisation_file)).work_calendar()
    digest = DigestJob(tracker_url=settings.notifier_tracker_url,
                       tracker_token=settings.notifier_tracker_token, policy=policy,
                       directory=directory, delivery=delivery, clock=clock, calendar=calendar,
                       speed=settings.clock_speed)
    flusher: list[asyncio.Task[None]] = []

    async def flush_forever() -> None:
        while True:
            await asyncio.sleep(1.0)
            try:
                await handlers.flush()
            except Exception:
                log.exception("flushing folded notifications failed; will retry")

    async def on_start() -> None:
        await repo.create_indexes()
        flusher.append(asyncio.create_task(flush_forever(), name="notification-flush"))
        if settings.notifier_tracker_token:
            flusher.append(asyncio.create_task(digest.run_forever(), name="daily-digest"))

    async def on_stop() -> None:
        for task in flusher:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await handlers.flush(everything=True)

    app = service_app(name="notifier", settings=settings, broker=broker, mongo=mongo,
                      on_start=on_start, on_stop=on_stop)
    app.include_router(history_router(repo))

    @app.post("/digest", tags=["notifications"], summary="Send today's leadership digest now")
    async def send_digest() -> dict[str, object]:
        results = await digest.send_now()
        return {"sent": [r.status for r in results]}
    return app


def run() -> None:
    """Entry point of ``vanthu-notifier``."""
    settings = NotifierSettings()
    configure_logging("notifier", settings.log_level, settings.log_format)
    serve(build_app(settings), settings.http_host, settings.notifier_port)


if __name__ == "__main__":
    run()
