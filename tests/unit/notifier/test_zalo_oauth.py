"""Renewing the Zalo OA token, the pure part: the request's shape and how each answer is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from pydantic import SecretStr

from services.notifier.channels.base import PermanentDeliveryError, TemporaryDeliveryError
from services.notifier.channels.zalo_oauth import (
    ZaloAppConfig,
    due_for_renewal,
    read_refresh_answer,
    refresh_request,
    token_digest,
)

NOW = datetime(2026, 11, 30, 8, tzinfo=UTC)
APP = ZaloAppConfig(app_id="4291763606161179100", app_secret=SecretStr("app-secret"),
                    refresh_token=SecretStr("seed"))


def test_the_request_spends_the_refresh_token_with_the_app_s_secret_key_in_a_header() -> None:
    request = refresh_request(APP, "rt-1")
    assert request.url == "https://oauth.zaloapp.com/v4/oa/access_token"
    assert request.headers["secret_key"] == "app-secret"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.body.decode()) == {
        "app_id": ["4291763606161179100"], "grant_type": ["refresh_token"], "refresh_token": ["rt-1"]}


def test_renewal_is_on_only_with_an_app_id_its_secret_and_a_refresh_token() -> None:
    assert APP.renews
    assert not APP.model_copy(update={"app_secret": SecretStr("")}).renews
    assert not ZaloAppConfig(app_id="1", app_secret=SecretStr("s")).renews


def test_a_new_pair_expires_when_zalo_says_in_seconds_given_as_a_string() -> None:
    pair = read_refresh_answer(
        200, b'{"access_token": "at-2", "refresh_token": "rt-2", "expires_in": "90000"}', NOW)
    assert (pair.access_token, pair.refresh_token) == ("at-2", "rt-2")
    assert pair.expires_at == NOW + timedelta(hours=25)


def test_a_refused_refresh_token_is_permanent_and_the_answer_is_quoted_without_tokens() -> None:
    body = (b'{"error": -14014, "error_name": "Invalid refresh token", '
            b'"error_description": "refresh_token is invalid"}')
    with pytest.raises(PermanentDeliveryError, match=r"error -14014: refresh_token is invalid\)"):
        read_refresh_answer(200, body, NOW)


@pytest.mark.parametrize(("status", "body"), [
    (503, b"busy"), (429, b"{}"), (200, b"<html>proxy</html>"),
    (200, b'{"access_token": "a", "refresh_token": "r", "expires_in": "soon"}')])
def test_a_busy_or_garbled_answer_is_temporary(status: int, body: bytes) -> None:
    with pytest.raises(TemporaryDeliveryError):
        read_refresh_answer(status, body, NOW)


@pytest.mark.parametrize(("token", "expires_at", "due"), [
    ("", None, True), ("at", None, True), ("at", NOW + timedelta(hours=2), False),
    ("at", NOW + timedelta(minutes=59), True), ("at", NOW - timedelta(seconds=1), True)])
def test_renew_without_a_token_or_within_the_margin_of_its_expiry(
        token: str, expires_at: datetime | None, due: bool) -> None:
    assert due_for_renewal(token, expires_at, NOW, timedelta(hours=1)) is due


def test_the_same_configured_seed_is_known_again_after_a_restart() -> None:
    assert token_digest("seed") == token_digest("seed") != token_digest("seed2")
