"""Zalo: a text message from the department's Zalo Official Account (OA) to a person's Zalo account.

The request, as Zalo's OA API v3 takes it (looked up, not guessed; see ADR 0007, "Zalo"):

- ``POST {api_base}/v3.0/oa/message/cs`` (tin tư vấn, the OA's text message to a user who follows
  it; API v2 ``/v2.0/oa/message`` is retired);
- header ``access_token: <OA access token>`` (not ``Authorization: Bearer``),
  ``Content-Type: application/json``;
- body ``{"recipient": {"user_id": "<id>"}, "message": {"text": "<text>"}}``, text at most
  :data:`TEXT_LIMIT` characters.

Sources: Zalo's own PHP SDK (github.com/zaloplatform/zalo-php-sdk: ``ZaloEndPoint::
API_OA_SEND_CONSULTATION_MESSAGE_V3`` = ``https://openapi.zalo.me/v3.0/oa/message/cs``,
``ZaloClient::prepareRequestMessage`` puts the token in the ``access_token`` header, and
``MessageBuilder`` builds ``recipient.user_id`` and ``message.text``), and OA clients that call it
the same way. The answer is JSON, HTTP 200 even on failure: ``{"error": 0, "message": "Success",
"data": {"message_id": "..."}}``, or ``{"error": -216, "message": "Access token is invalid"}``.

:func:`check_answer` classifies it: ``error`` 0 is delivered; an access-token error
(:data:`TOKEN_ERRORS`) is permanent, unless the channel renews tokens itself
(``services.notifier.zalo_tokens``: then it sends once more with a renewed one); a rate limit
(:data:`TEMPORARY_ERRORS`) is retried; any other non-zero ``error`` is permanent (bad user id, user
not following the OA, text refused: a retry cannot help). HTTP 5xx/408/425/429, a timeout, a refused
connection or a 200 that is not Zalo's JSON are temporary; other HTTP statuses are permanent.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from services.notifier.channels.base import (
    Outgoing,
    PermanentDeliveryError,
    RenderedMessage,
    TemporaryDeliveryError,
)
from shared.safe_text import clean_block, clean_line

MESSAGE_PATH = "/v3.0/oa/message/cs"
TEXT_LIMIT = 2000
"""Longest text Zalo takes in one OA text message (characters)."""
TOKEN_ERRORS = frozenset({-216, -124})
"""``error`` codes meaning the access token is invalid or expired (-216 on the OA API, -124 as
Zalo's ZNS table names it)."""
TEMPORARY_ERRORS = frozenset({-32})
"""``error`` codes worth retrying: -32, too many requests (rate limit)."""
FOOTER = "Tin nhắn tự động từ hệ thống Vanthu (Sở Công Thương)."
CLIPPED = "\n…\n(Tin nhắn đã rút gọn: xem đầy đủ trong thư điện tử hoặc trên hệ thống Vanthu.)"
_TEMPORARY_STATUSES = frozenset({408, 425, 429})


class ZaloConfig(BaseModel):
    """Where the OA API is, the OA's access token, and HTTP limits."""

    model_config = ConfigDict(frozen=True)

    api_base: str = Field(default="https://openapi.zalo.me", description="Zalo OA API base URL.")
    access_token: SecretStr = Field(default=SecretStr(""), description="OA access token; empty: "
                                    "every Zalo delivery fails permanently, saying so.")
    timeout_s: float = Field(default=10.0, gt=0)
    text_limit: int = Field(default=TEXT_LIMIT, ge=200, le=TEXT_LIMIT)
    user_agent: str = "vanthu-notifier/1"


@dataclass(frozen=True)
class ZaloRequest:
    """One HTTP request to Zalo: URL, headers (with the OA token, or the app's secret key when
    renewing it) and the body's bytes."""

    url: str
    headers: dict[str, str]
    body: bytes


def zalo_text(message: RenderedMessage, limit: int = TEXT_LIMIT) -> str:
    """The email's subject and plain text (same wording, never a document's body) as one Zalo
    message: the subject first (what a chat preview shows), the mail signature replaced by
    :data:`FOOTER`, attachments named, clipped at a line to ``limit``."""
    body = unicodedata.normalize("NFC", clean_block(message.text)).strip()
    head, sep, _signature = body.rpartition("\n--\n")
    body = head.rstrip() if sep else body
    subject = unicodedata.normalize("NFC", clean_line(message.subject)).strip()
    body = f"{subject}\n\n{body}" if subject else body
    names = ", ".join(clean_line(a.filename) for a in message.attachments)
    note = f"(Tệp đính kèm {names}: gửi kèm thư điện tử, không gửi qua Zalo.)\n" if names else ""
    tail = f"\n\n{note}{FOOTER}"
    if len(body) + len(tail) <= limit:
        return body + tail
    room = limit - len(tail) - len(CLIPPED)
    if room < limit // 4:  # attachment names too long to keep: keep the text instead
        tail, room = f"\n\n{FOOTER}", limit - len(FOOTER) - 2 - len(CLIPPED)
    clipped = body[:room]
    line_end = clipped.rfind("\n")
    if line_end > room // 2:
        clipped = clipped[:line_end]
    return clipped.rstrip() + CLIPPED + tail


def zalo_payload(user_id: str, text: str) -> dict[str, Any]:
    """The JSON body of an OA text message to ``user_id``."""
    return {"recipient": {"user_id": user_id}, "message": {"text": text}}


def zalo_request(outgoing: Outgoing, config: ZaloConfig, token: str | None = None) -> ZaloRequest:
    """The request that sends ``outgoing`` to ``recipient.zalo_user_id`` (pure; the token is
    ``token``, else ``config``'s). Raises :class:`PermanentDeliveryError` without a user id or a
    token."""
    user_id = outgoing.recipient.zalo_user_id
    if not user_id:
        raise PermanentDeliveryError(f"{outgoing.recipient.id} has no zalo_user_id")
    token = config.access_token.get_secret_value() if token is None else token
    if not token:
        raise PermanentDeliveryError(
            "no Zalo OA access token configured (NOTIFIER_ZALO_ACCESS_TOKEN or "
            "NOTIFIER_ZALO_ACCESS_TOKEN_FILE): nothing sent")
    text = zalo_text(outgoing.message, config.text_limit)
    body = json.dumps(zalo_payload(user_id, text), ensure_ascii=False, separators=(",", ":"))
    return ZaloRequest(
        url=config.api_base.rstrip("/") + MESSAGE_PATH, body=body.encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "access_token": token,
                 "User-Agent": config.user_agent, "Accept": "application/json"})


class ZaloTokenRefused(PermanentDeliveryError):
    """Zalo refused the access token (:data:`TOKEN_ERRORS`): permanent unless it can be renewed."""


class AccessTokens(Protocol):
    """Renewed OA access tokens (``services.notifier.zalo_tokens.ZaloTokens``)."""

    async def access_token(self) -> str:
        """A token to send with."""

    async def after_refusal(self, refused: str) -> str:
        """A token to send with again after Zalo refused ``refused``."""


def _retry_after(value: str | None) -> float | None:
    return float(value) if value and value.isdigit() else None


def check_answer(status: int, body: bytes | str, retry_after: str | None = None) -> str:
    """Classify the OA API's answer: the ``message_id`` when delivered; otherwise raise
    :class:`TemporaryDeliveryError` or :class:`PermanentDeliveryError` with a reason."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if status >= 500 or status in _TEMPORARY_STATUSES:
        raise TemporaryDeliveryError(f"Zalo OA API HTTP {status}: {clean_line(text)[:200]}",
                                     retry_after_s=_retry_after(retry_after))
    if not 200 <= status < 300:
        raise PermanentDeliveryError(f"Zalo OA API HTTP {status}: {clean_line(text)[:200]}")
    try:
        answer = json.loads(text)
        code = answer["error"]
    except (ValueError, TypeError, KeyError):
        raise TemporaryDeliveryError(
            f"Zalo OA API HTTP {status} without its JSON answer: {clean_line(text)[:200]}") from None
    if not isinstance(code, int) or isinstance(code, bool):
        raise TemporaryDeliveryError(f"Zalo OA API answered error={code!r}, not a number")
    said = clean_line(str(answer.get("message", "")))[:200]
    if code == 0:
        data = answer.get("data")
        return str(data.get("message_id", "")) if isinstance(data, dict) else ""
    if code in TOKEN_ERRORS:
        raise ZaloTokenRefused(
            f"Zalo OA refused the access token (error {code}: {said}): renew "
            "NOTIFIER_ZALO_ACCESS_TOKEN (or its _FILE), or set NOTIFIER_ZALO_APP_ID, _APP_SECRET "
            "and _REFRESH_TOKEN so that the notifier renews it")
    if code in TEMPORARY_ERRORS:
        raise TemporaryDeliveryError(f"Zalo OA error {code}: {said}")
    raise PermanentDeliveryError(f"Zalo OA error {code}: {said}")


class ZaloChannel:
    """Sends an :class:`Outgoing` as an OA text message to ``recipient.zalo_user_id``."""

    def __init__(self, config: ZaloConfig, client: httpx.AsyncClient | None = None,
                 tokens: AccessTokens | None = None) -> None:
        self.config = config
        self._client = client
        self.tokens = tokens
        """Renewed access tokens; without them, ``config.access_token`` is used as it is."""

    async def send(self, outgoing: Outgoing) -> None:
        """Send once (and once more with a renewed token if Zalo refused a renewable one); see
        :func:`check_answer` for what is retried."""
        if self.tokens is None:
            await self._post(outgoing, None)
            return
        token = await self.tokens.access_token()
        try:
            await self._post(outgoing, token)
        except ZaloTokenRefused:
            await self._post(outgoing, await self.tokens.after_refusal(token))

    async def _post(self, outgoing: Outgoing, token: str | None) -> None:
        request = zalo_request(outgoing, self.config, token)
        response = await post_to_zalo(request, self._client, self.config.timeout_s, "Zalo OA API")
        check_answer(response.status_code, response.content, response.headers.get("retry-after"))


async def post_to_zalo(request: ZaloRequest, client: httpx.AsyncClient | None, timeout_s: float,
                       what: str) -> httpx.Response:
    """POST ``request`` with ``client`` (or a client of its own, closed after); an unreachable
    ``what`` is a :class:`TemporaryDeliveryError`."""
    own = client or httpx.AsyncClient(timeout=timeout_s)
    try:
        return await own.post(request.url, content=request.body, headers=request.headers)
    except httpx.TransportError as exc:
        raise TemporaryDeliveryError(f"{what} unreachable: {exc!r}") from exc
    finally:
        if client is None:
            await own.aclose()
