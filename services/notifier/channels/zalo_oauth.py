"""Renewing the Zalo OA access token: the refresh request and how to read its answer (pure).

An OA access token lives 25 hours (``expires_in`` 90000 s). A refresh token lives three months and
serves once: each refresh answers a new access token *and* a new refresh token, and the old refresh
token is spent. So the latest refresh token must be kept where every notifier finds it after a
restart (the notifier's store, ``services.notifier.zalo_tokens``).

The request, as Zalo's OAuth v4 for Official Accounts takes it (looked up, not guessed; ADR 0007,
"Zalo"): ``POST {oauth_base}/v4/oa/access_token``, header ``secret_key: <the app's secret key>``,
form body ``app_id``, ``grant_type=refresh_token`` and ``refresh_token``. The answer is
``{"access_token": "…", "refresh_token": "…", "expires_in": "90000"}`` (``expires_in`` a string), or
``{"error": -14014, "error_name": "…", "error_description": "…"}`` with HTTP 200.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from services.notifier.channels.base import PermanentDeliveryError, TemporaryDeliveryError
from services.notifier.channels.zalo import ZaloRequest
from shared.safe_text import clean_line

OAUTH_PATH = "/v4/oa/access_token"


class ZaloAppConfig(BaseModel):
    """The Zalo app that owns the OA's tokens, and the refresh token to start the chain from."""

    model_config = ConfigDict(frozen=True)

    oauth_base: str = Field(default="https://oauth.zaloapp.com", description="Zalo OAuth base URL.")
    app_id: str = ""
    app_secret: SecretStr = SecretStr("")
    refresh_token: SecretStr = SecretStr("")
    """The refresh token an operator got when authorising the app (the chain's first link)."""
    refresh_margin_s: float = Field(default=3600.0, ge=0)
    """Renew this long before the access token expires."""
    timeout_s: float = Field(default=10.0, gt=0)

    @property
    def renews(self) -> bool:
        """Whether the app is configured to renew tokens (else a fixed access token is used)."""
        return bool(self.app_id and self.app_secret.get_secret_value()
                    and self.refresh_token.get_secret_value())


@dataclass(frozen=True)
class TokenPair:
    """What one refresh gives: an access token until ``expires_at``, and the next refresh token."""

    access_token: str
    refresh_token: str
    expires_at: datetime


def token_digest(refresh_token: str) -> str:
    """A refresh token's fingerprint. Of the configured first one, it tells a newly configured token
    (the app authorised again: the chain restarts) from the same one after a restart; of the one
    about to be spent, it keys the lease on spending it."""
    return hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()


def refresh_request(app: ZaloAppConfig, refresh_token: str) -> ZaloRequest:
    """The request that spends ``refresh_token`` for a new pair."""
    body = urlencode({"app_id": app.app_id, "grant_type": "refresh_token",
                      "refresh_token": refresh_token})
    return ZaloRequest(
        url=app.oauth_base.rstrip("/") + OAUTH_PATH, body=body.encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "secret_key": app.app_secret.get_secret_value(), "Accept": "application/json"})


def read_refresh_answer(status: int, body: bytes, now: datetime) -> TokenPair:
    """The new pair; :class:`TemporaryDeliveryError` when asking again may help (HTTP 5xx/429, not
    Zalo's JSON), :class:`PermanentDeliveryError` when the app must be authorised again (Zalo
    refused the refresh token, app id or secret key). Error texts never carry a token."""
    text = body.decode("utf-8", errors="replace")
    if status >= 500 or status == 429:
        raise TemporaryDeliveryError(f"Zalo OAuth HTTP {status} while renewing the OA token")
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise TemporaryDeliveryError(f"Zalo OAuth HTTP {status} without its JSON answer")
    access, refresh = answer.get("access_token"), answer.get("refresh_token")
    if status == 200 and isinstance(access, str) and access and isinstance(refresh, str) and refresh:
        try:
            seconds = int(str(answer.get("expires_in", "")).strip())
        except ValueError:
            raise TemporaryDeliveryError("Zalo OAuth answered without a number in expires_in"
                                         ) from None
        return TokenPair(access, refresh, now + timedelta(seconds=seconds))
    said = clean_line(str(answer.get("error_description") or answer.get("error_name")
                          or answer.get("message") or ""))[:200]
    raise PermanentDeliveryError(
        f"Zalo OAuth refused to renew the OA token (HTTP {status}, error {answer.get('error')!r}: "
        f"{said}): authorise the app again and set NOTIFIER_ZALO_REFRESH_TOKEN")


def due_for_renewal(access_token: str, expires_at: datetime | None, now: datetime,
                    margin: timedelta) -> bool:
    """Whether to renew before sending: no access token yet, or it expires within ``margin``."""
    return not access_token or expires_at is None or expires_at - margin <= now
