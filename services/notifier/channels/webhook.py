"""Signed webhooks: POST the message as JSON, signed with HMAC-SHA256 (see ADR 0007).

Signature: ``hex(HMAC_SHA256(secret, f"{timestamp}.".encode() + body))`` where ``timestamp`` is the
Unix time in whole seconds (header ``X-Vanthu-Timestamp``) and ``body`` the exact bytes of the request
body (UTF-8 JSON). Sent as ``X-Vanthu-Signature: sha256=<hex>``. A receiver recomputes it with
:func:`verify_signature`, which also rejects timestamps older (or newer) than a tolerance, against
replay. ``Idempotency-Key`` is stable across retries of one message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from services.notifier.channels.base import Outgoing, PermanentDeliveryError, TemporaryDeliveryError
from shared.clock import Clock, SystemClock

SIGNATURE_HEADER = "X-Vanthu-Signature"
TIMESTAMP_HEADER = "X-Vanthu-Timestamp"
_TEMPORARY_STATUSES = frozenset({408, 425, 429})


class WebhookConfig(BaseModel):
    """Shared secret and HTTP limits for webhook delivery."""

    model_config = ConfigDict(frozen=True)

    secret: SecretStr = Field(default=SecretStr(""), description="Shared secret of the HMAC "
                              "signature; empty: every delivery fails permanently, unsigned.")
    timeout_s: float = Field(default=10.0, gt=0)
    user_agent: str = "vanthu-notifier/1"


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def sign(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """Return ``sha256=<hex>``: HMAC-SHA256 over ``f"{timestamp}.{body}"`` with ``secret``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + _as_bytes(body), hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify_signature(secret: str, timestamp: int | str, body: bytes | str, signature: str,
                     now: datetime | float, tolerance_s: float = 300) -> bool:
    """True when ``signature`` matches and ``timestamp`` is within ``tolerance_s`` of ``now``."""
    try:
        sent_at = int(str(timestamp))
    except ValueError:
        return False
    now_s = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(now_s - sent_at) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature.strip())


def webhook_payload(outgoing: Outgoing) -> dict[str, Any]:
    """The JSON document POSTed for ``outgoing``."""
    msg = outgoing.message
    return {
        "type": "vanthu.notification", "keys": list(outgoing.keys),
        "recipient": {"id": outgoing.recipient.id, "name": outgoing.recipient.display},
        "subject": msg.subject, "text": msg.text, "data": msg.data,
        "attachments": [a.filename for a in msg.attachments],
    }


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


class WebhookChannel:
    """POSTs signed JSON to ``recipient.webhook_url``; 2xx is success."""

    def __init__(self, config: WebhookConfig, client: httpx.AsyncClient | None = None,
                 clock: Clock | None = None) -> None:
        self.config = config
        self._client = client
        self._clock = clock or SystemClock()

    async def send(self, outgoing: Outgoing) -> None:
        """Send once; network errors and HTTP 5xx/429/408 are temporary, other 4xx/3xx permanent."""
        url = outgoing.recipient.webhook_url
        if not url:
            raise PermanentDeliveryError(f"{outgoing.recipient.id} has no webhook_url")
        if not self.config.secret.get_secret_value():
            raise PermanentDeliveryError(
                "no webhook signing secret configured (NOTIFIER_WEBHOOK_SECRET): not sent unsigned "
                "or signed with a public value")
        body = json.dumps(webhook_payload(outgoing), ensure_ascii=False, separators=(",", ":"))
        raw = body.encode("utf-8")
        timestamp = int(self._clock.now().timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8", "User-Agent": self.config.user_agent,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self.config.secret.get_secret_value(), timestamp, raw),
            "Idempotency-Key": hashlib.sha256("\n".join(outgoing.keys).encode()).hexdigest(),
        }
        client = self._client or httpx.AsyncClient(timeout=self.config.timeout_s)
        try:
            response = await client.post(url, content=raw, headers=headers)
        except httpx.TransportError as exc:
            raise TemporaryDeliveryError(f"webhook unreachable: {exc!r}") from exc
        finally:
            if self._client is None:
                await client.aclose()
        status = response.status_code
        if 200 <= status < 300:
            return
        reason = f"HTTP {status} from {url}: {response.text[:200]}"
        if status >= 500 or status in _TEMPORARY_STATUSES:
            raise TemporaryDeliveryError(reason, retry_after_s=_retry_after(response))
        raise PermanentDeliveryError(reason)
