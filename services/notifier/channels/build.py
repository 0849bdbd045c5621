"""The notifier's channels, built from its settings (email over SMTP, signed webhooks, Zalo OA
messages, the log), and the delivery service that sends over them with the configured retries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import SecretStr

from services.notifier.channels.base import Channel
from services.notifier.channels.email import EmailChannel, SmtpConfig
from services.notifier.channels.log import LogChannel
from services.notifier.channels.webhook import WebhookChannel, WebhookConfig
from services.notifier.channels.zalo import AccessTokens, ZaloChannel, ZaloConfig
from services.notifier.channels.zalo_oauth import ZaloAppConfig
from services.notifier.delivery import DeliveryService
from services.notifier.delivery_log import DeliveryLog
from services.notifier.failures import DeadLetterNotice
from services.notifier.messages import MessageRenderer
from services.notifier.policy import LetterSettings
from services.notifier.retry import RetryPolicy
from services.notifier.settings import NotifierSettings


def smtp_config(settings: NotifierSettings) -> SmtpConfig:
    """The SMTP relay as configured: STARTTLS only when required, no login without a user."""
    password = settings.notifier_smtp_password
    return SmtpConfig(host=settings.notifier_smtp_host, port=settings.notifier_smtp_port,
                      starttls=True if settings.notifier_smtp_starttls else None,
                      username=settings.notifier_smtp_username or None,
                      password=SecretStr(password) if password else None,
                      sender=settings.notifier_smtp_sender)


def zalo_config(settings: NotifierSettings) -> ZaloConfig:
    """The Zalo OA API as configured (the token already read from its file, if given)."""
    return ZaloConfig(api_base=settings.notifier_zalo_api_base,
                      access_token=SecretStr(settings.notifier_zalo_access_token),
                      timeout_s=settings.notifier_zalo_timeout_s)


def zalo_app_config(settings: NotifierSettings) -> ZaloAppConfig:
    """The Zalo app that renews the OA's access token, as configured (``renews`` is False unless its
    id, secret key and a refresh token are all set)."""
    return ZaloAppConfig(oauth_base=settings.notifier_zalo_oauth_base,
                         app_id=settings.notifier_zalo_app_id,
                         app_secret=SecretStr(settings.notifier_zalo_app_secret),
                         refresh_token=SecretStr(settings.notifier_zalo_refresh_token),
                         refresh_margin_s=settings.notifier_zalo_refresh_margin_s,
                         timeout_s=settings.notifier_zalo_timeout_s)


def build_channels(settings: NotifierSettings, zalo_tokens: AccessTokens | None = None
                   ) -> dict[str, Channel]:
    """Every channel by the name contacts use: ``email``, ``log``, ``webhook``, ``zalo`` (with
    ``zalo_tokens``, Zalo's access token is renewed)."""
    return {"email": EmailChannel(smtp_config(settings)), "log": LogChannel(),
            "webhook": WebhookChannel(WebhookConfig(
                secret=SecretStr(settings.notifier_webhook_secret))),
            "zalo": ZaloChannel(zalo_config(settings), tokens=zalo_tokens)}


def build_delivery(settings: NotifierSettings, delivery_log: DeliveryLog, letter: LetterSettings,
                   on_dead_letter: Callable[[DeadLetterNotice], Awaitable[None]],
                   zalo_tokens: AccessTokens | None = None) -> DeliveryService:
    """Delivery over every channel, retried as configured; messages link to the tracker."""
    return DeliveryService(
        build_channels(settings, zalo_tokens), delivery_log,
        MessageRenderer(settings.notifier_tracker_url, letter),
        RetryPolicy(max_attempts=settings.notifier_retry_attempts,
                    base_delay_s=settings.notifier_retry_base_delay_s),
        on_dead_letter=on_dead_letter)
