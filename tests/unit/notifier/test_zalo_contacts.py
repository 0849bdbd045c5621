"""Who is reached on Zalo (the organisation file) and where the OA's access token comes from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from services.notifier.channels.build import build_channels, zalo_config
from services.notifier.channels.zalo import ZaloChannel
from services.notifier.directory import YamlDirectory
from services.notifier.escalation import plan_notifications
from services.notifier.policy import load_policy
from services.notifier.settings import NotifierSettings
from shared.config_yaml import ConfigError, YamlDocument
from shared.organisation import Contacts, Person, organisation_from
from shared.secrets_policy import SecretFileError
from tests.unit.notifier.factories import SAMPLE_ORG, sample_org, signal


def _directory(org: dict[str, Any]) -> YamlDirectory:
    text = yaml.safe_dump(org, allow_unicode=True, sort_keys=False)
    return YamlDirectory(organisation_from(YamlDocument(text, str(SAMPLE_ORG))))


def test_a_unit_and_a_head_on_zalo_get_zalo_notifications_keyed_by_channel() -> None:
    org = sample_org()
    vp = org["units"][0]
    vp["contacts"] |= {"zalo_user_id": "1234567890123", "channels": ["zalo", "email"]}
    vp["head"] |= {"zalo_user_id": "987654321", "channels": ["email", "zalo"]}
    directory = _directory(org)
    assert directory.unit("VP").zalo_user_id == "1234567890123"
    plans = plan_notifications(signal("overdue", level=1, unit="VP"), load_policy(), directory)
    assert [(p.recipient.id, p.channel, p.recipient.zalo_user_id) for p in plans] == [
        ("head:VP", "email", "987654321"), ("head:VP", "zalo", "987654321")]
    assert plans[1].key == "cv-0001/VP/overdue-L1/head:VP/zalo"


def test_leadership_on_zalo_gets_the_digest_there_too() -> None:
    org = sample_org()
    org["leadership"]["director"] |= {"zalo_user_id": "555", "channels": ["zalo"]}
    assert _directory(org).director().channels == ("zalo",)


def test_people_and_units_stay_on_email_unless_their_file_says_otherwise() -> None:
    directory = YamlDirectory.from_file(SAMPLE_ORG)
    assert directory.unit_head("VP").channels == ("email",)
    assert directory.unit("TTRA").channels == ("email",)


@pytest.mark.parametrize("contacts", [
    {"email": "a@b.vn", "channels": ["zalo"]},
    {"email": "a@b.vn", "zalo_user_id": "abc", "channels": ["zalo"]},
    {"email": "a@b.vn", "zalo_user_id": "", "channels": ["email", "zalo"]}])
def test_a_zalo_channel_needs_a_numeric_user_id(contacts: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="zalo_user_id"):
        Contacts(**contacts)
    with pytest.raises(ValidationError, match="zalo_user_id"):
        Person(name="A", title="B", **contacts)


def test_the_file_s_error_names_the_line_of_the_unit_without_an_id() -> None:
    org = sample_org()
    org["units"][1]["contacts"]["channels"] = ["zalo"]
    text = yaml.safe_dump(org, allow_unicode=True, sort_keys=False)
    with pytest.raises(ConfigError, match="zalo_user_id"):
        organisation_from(YamlDocument(text, "org.yaml"))


def _settings(**values: Any) -> NotifierSettings:
    return NotifierSettings(_env_file=None, **values)


def test_the_channel_uses_zalo_s_api_and_the_configured_token() -> None:
    channel = build_channels(_settings(notifier_zalo_access_token="oa-tok"))["zalo"]
    assert isinstance(channel, ZaloChannel)
    assert channel.config.api_base == "https://openapi.zalo.me"
    assert channel.config.access_token.get_secret_value() == "oa-tok"


def test_the_token_may_come_from_a_file_as_every_secret_may(tmp_path: Path) -> None:
    secret = tmp_path / "zalo-token"
    secret.write_text("tok-from-file\n", encoding="utf-8")
    settings = _settings(notifier_zalo_access_token_file=str(secret), notifier_zalo_timeout_s=3)
    config = zalo_config(settings)
    assert (config.access_token.get_secret_value(), config.timeout_s) == ("tok-from-file", 3)
    assert settings.notifier_zalo_access_token == "tok-from-file"  # what the secrets policy checks


def test_a_missing_token_file_refuses_to_start_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(SecretFileError, match="NOTIFIER_ZALO_ACCESS_TOKEN_FILE"):
        _settings(notifier_zalo_access_token_file=str(tmp_path / "missing"))
