"""The notifier's channels as its settings describe them."""

from __future__ import annotations

from services.notifier.channels.build import build_channels, smtp_config
from services.notifier.channels.email import EmailChannel
from services.notifier.channels.log import LogChannel
from services.notifier.channels.webhook import WebhookChannel
from services.notifier.channels.zalo import ZaloChannel
from services.notifier.settings import NotifierSettings


def test_an_unconfigured_relay_gets_no_login_and_starttls_only_if_offered() -> None:
    config = smtp_config(NotifierSettings(_env_file=None))  # type: ignore[call-arg]
    assert (config.host, config.port, config.starttls, config.username, config.password) == (
        "127.0.0.1", 2525, None, None, None)


def test_a_configured_relay_requires_starttls_and_logs_in() -> None:
    config = smtp_config(NotifierSettings(  # type: ignore[call-arg]
        _env_file=None, notifier_smtp_host="smtp.sct.gov.vn", notifier_smtp_port=587,
        notifier_smtp_starttls=True, notifier_smtp_username="vanthu",
        notifier_smtp_password="mật-khẩu", notifier_smtp_sender="vanthu@sct.gov.vn"))
    assert (config.host, config.port, config.starttls, config.username, config.sender) == (
        "smtp.sct.gov.vn", 587, True, "vanthu", "vanthu@sct.gov.vn")
    assert config.password is not None and config.password.get_secret_value() == "mật-khẩu"


def test_every_channel_the_policy_names_with_the_webhook_secret() -> None:
    channels = build_channels(NotifierSettings(  # type: ignore[call-arg]
        _env_file=None, notifier_webhook_secret="bí-mật"))
    assert {name: type(c) for name, c in channels.items()} == {
        "email": EmailChannel, "log": LogChannel, "webhook": WebhookChannel, "zalo": ZaloChannel}
    webhook = channels["webhook"]
    assert isinstance(webhook, WebhookChannel)
    assert webhook.config.secret.get_secret_value() == "bí-mật"


def test_the_fold_window_is_the_policy_s_unless_set() -> None:
    assert NotifierSettings(_env_file=None).fold_window(15).total_seconds() == 900  # type: ignore[call-arg]
    assert NotifierSettings(  # type: ignore[call-arg]
        _env_file=None, notifier_fold_window_minutes=0).fold_window(15).total_seconds() == 0
