"""The secrets policy: which settings are secrets, which values are refused, and when."""

from __future__ import annotations

import pytest

from services.ingest.settings import IngestSettings
from services.notifier.settings import NotifierSettings
from services.tracker.settings import TrackerSettings
from shared.secrets_policy import (
    DEMO_SECRETS,
    SecretsRefused,
    check_value,
    enforce,
    exposure,
    is_loopback,
    problems,
    refusal,
)
from shared.tokens import hash_secret

REAL = hash_secret("f3b1c9e0-a-long-random-secret-7d2e")


def test_loopback_hosts_are_laptop_others_are_exposed() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.0.0.5", "vanthu.example.gov.vn"]))


def test_the_policy_applies_in_production_or_on_a_public_address_only() -> None:
    assert exposure(IngestSettings(_env_file=None)) is None
    assert exposure(IngestSettings(_env_file=None, vanthu_env="production")) == \
        "VANTHU_ENV=production"
    assert "0.0.0.0" in str(exposure(IngestSettings(_env_file=None, http_host="0.0.0.0")))


@pytest.mark.parametrize("demo", DEMO_SECRETS)
def test_every_public_demo_credential_is_refused_hashed_or_plain(demo: str) -> None:
    assert demo in str(check_value("hashed", f"x:{REAL},demo:{hash_secret(demo)}",
                                   required=True))
    assert check_value("plain", demo, required=False) is not None


@pytest.mark.parametrize("value", ["change-me", "CHANGE-ME", " secret ", "password", "<secret>",
                                   "changeme", "demo-something"])
def test_placeholders_are_refused(value: str) -> None:
    assert check_value("plain", value, required=False) is not None


def test_a_placeholder_configured_by_its_hash_is_refused_too() -> None:
    assert check_value("hashed", f"n:{hash_secret('change-me')}", required=False) is not None


def test_empty_is_refused_only_where_required_and_real_secrets_pass() -> None:
    assert check_value("hashed", "", required=True) is not None
    assert check_value("plain", "", required=False) is None
    assert check_value("hashed", f"a:{REAL}", required=True) is None
    assert check_value("plain", "Zt8-qv1Lr0-xP4", required=True) is None


def test_a_database_url_is_checked_by_its_password_only() -> None:
    assert check_value("url", "mongodb://vanthu:change-me@db:27017/", required=False)
    assert check_value("url", "mongodb://vanthu:Zt8qv1Lr0xP4@db:27017/", required=False) is None
    assert check_value("url", "mongodb://db:27017/", required=False) is None


def test_the_tagged_settings_of_each_service_are_checked_by_name() -> None:
    tracker = TrackerSettings(_env_file=None, tracker_unit_tokens=f"VP:{hash_secret('demo-vp-token')}",
                              tracker_leadership_tokens="")
    assert {p.setting for p in problems(tracker)} == {"TRACKER_UNIT_TOKENS",
                                                      "TRACKER_LEADERSHIP_TOKENS"}
    notifier = NotifierSettings(_env_file=None, notifier_webhook_secret="change-me",
                                notifier_smtp_password="password",
                                notifier_tracker_token="demo-leader-token")
    assert {p.setting for p in problems(notifier)} >= {
        "NOTIFIER_WEBHOOK_SECRET", "NOTIFIER_SMTP_PASSWORD", "NOTIFIER_TRACKER_TOKEN"}
    assert problems(IngestSettings(_env_file=None, ingest_api_keys=f"s:{REAL}")) == []


def test_enforce_exits_78_with_a_message_naming_the_setting(capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    demo = IngestSettings(_env_file=None, vanthu_env="production",
                          ingest_api_keys=f"demo:{hash_secret('demo-key')}")
    with pytest.raises(SecretsRefused) as refused:
        enforce("ingest", demo)
    assert refused.value.code == 78
    assert "INGEST_API_KEYS" in refused.value.message and "demo-key" in refused.value.message
    assert "INGEST_API_KEYS" in capsys.readouterr().err
    laptop = IngestSettings(_env_file=None, ingest_api_keys=f"demo:{hash_secret('demo-key')}")
    assert refusal("ingest", laptop) is None
    enforce("ingest", IngestSettings(_env_file=None, vanthu_env="production",
                                     ingest_api_keys=f"s:{REAL}"))


def test_the_clock_switch_is_refused_when_exposed_and_allowed_on_a_laptop() -> None:
    real = {"tracker_unit_tokens": f"VP:{REAL}", "tracker_leadership_tokens": f"d:{REAL}"}
    exposed = TrackerSettings(_env_file=None, vanthu_env="production", tracker_clock_control=True,
                              **real)
    message = refusal("tracker", exposed)
    assert message is not None and "TRACKER_CLOCK_CONTROL" in message
    assert refusal("tracker", TrackerSettings(_env_file=None, vanthu_env="production", **real)) is None
    assert refusal("tracker", TrackerSettings(_env_file=None, tracker_clock_control=True,
                                              **real)) is None
