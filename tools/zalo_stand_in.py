"""A stand-in for Zalo's APIs on a 127.0.0.1 port, for tests and ``vanthu sink``: the OA message API
(``services/notifier/channels/zalo.py``) and the OAuth endpoint that renews the OA's access token
(``services/notifier/channels/zalo_oauth.py``). It checks each request's shape, answers as Zalo does
and records every request, secrets redacted.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs

from tools.sinks import numbering

ZALO_MESSAGE_PATH = "/v3.0/oa/message/cs"
ZALO_OAUTH_PATH = "/v4/oa/access_token"
ZALO_TEXT_LIMIT = 2000
_SECRET_HEADERS = frozenset({"access_token", "secret_key"})


def zalo_answer(path: str, token_ok: bool, body: Any) -> tuple[int, dict[str, Any]]:
    """What Zalo's OA API answers (HTTP status, JSON) to a text message request: 404 off its path,
    error -216 for a token it does not know, -201 for a malformed body, else error 0."""
    if path != ZALO_MESSAGE_PATH:
        return 404, {"error": 404, "message": "empty api"}
    if not token_ok:
        return 200, {"error": -216, "message": "Access token is invalid"}
    recipient = body.get("recipient") if isinstance(body, dict) else None
    message = body.get("message") if isinstance(body, dict) else None
    user_id = recipient.get("user_id") if isinstance(recipient, dict) else None
    text = message.get("text") if isinstance(message, dict) else None
    if not isinstance(user_id, str) or not user_id.isdigit():
        return 200, {"error": -201, "message": "Parameters are invalid: recipient.user_id"}
    if not isinstance(text, str) or not text.strip() or len(text) > ZALO_TEXT_LIMIT:
        return 200, {"error": -201, "message": "Parameters are invalid: message.text"}
    return 200, {"error": 0, "message": "Success",
                 "data": {"message_id": secrets.token_hex(16), "user_id": user_id}}


def oauth_refusal(form: dict[str, str], secret_key: str, app: tuple[str, str] | None,
                  refresh_ok: bool) -> dict[str, Any] | None:
    """Why Zalo's OAuth endpoint refuses a refresh (its JSON answer), or None if it accepts it."""
    if app is None or form.get("app_id") != app[0] or secret_key != app[1]:
        return {"error": -14002, "error_name": "Invalid app", "error_description":
                "app_id or secret_key is invalid"}
    if form.get("grant_type") != "refresh_token":
        return {"error": -14003, "error_name": "Invalid grant type",
                "error_description": "grant_type must be refresh_token"}
    if not refresh_ok:
        return {"error": -14014, "error_name": "Invalid refresh token",
                "error_description": "refresh_token is invalid or already used"}
    return None


class ZaloStandIn:
    """Zalo on a 127.0.0.1 port (a real HTTP server, in a thread). The message API accepts
    ``tokens`` and answers as :func:`zalo_answer` says (or with the HTTP statuses queued in
    ``fail_next``). The OAuth endpoint, for ``app`` (id, secret key), spends each of
    ``refresh_tokens`` once for a new access token (valid ``expires_in`` seconds, as Zalo says it)
    and a new refresh token. Every request is kept in ``requests`` (and ``<directory>/<n>.json``)."""

    def __init__(self, tokens: Iterable[str], directory: Path | None = None, port: int = 0, *,
                 app: tuple[str, str] | None = None, refresh_tokens: Iterable[str] = (),
                 expires_in: int = 90000) -> None:
        self.tokens = set(tokens)
        self.app, self.refresh_tokens, self.expires_in = app, set(refresh_tokens), expires_in
        self.renewals: list[tuple[str, str]] = []
        """(access token, refresh token) pairs issued, in order."""
        self.fail_next: list[int] = []
        self.requests: list[dict[str, Any]] = []
        self.directory = directory
        self._numbers = numbering(directory, ".json") if directory else itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL (what NOTIFIER_ZALO_API_BASE and NOTIFIER_ZALO_OAUTH_BASE should be)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def revoke(self, token: str) -> None:
        """From now on ``token`` gets error -216, as an expired OA access token does."""
        with self._lock:
            self.tokens.discard(token)

    def messages(self) -> list[dict[str, Any]]:
        """The bodies of the messages answered with error 0, in arrival order."""
        with self._lock:
            return [r["body"] for r in self.requests
                    if r["path"] == ZALO_MESSAGE_PATH and r["answer"].get("error") == 0]

    def _renew(self, form: dict[str, str], secret_key: str) -> dict[str, Any]:
        spent = form.get("refresh_token", "")
        refusal = oauth_refusal(form, secret_key, self.app, spent in self.refresh_tokens)
        if refusal is not None:
            return refusal
        self.refresh_tokens.discard(spent)
        pair = (f"oa-access-{secrets.token_hex(8)}", f"oa-refresh-{secrets.token_hex(8)}")
        self.tokens.add(pair[0])
        self.refresh_tokens.add(pair[1])
        self.renewals.append(pair)
        return {"access_token": pair[0], "refresh_token": pair[1],
                "expires_in": str(self.expires_in)}

    def _record(self, method: str, path: str, headers: dict[str, str], raw: bytes
                ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            token_ok = headers.get("access_token", "") in self.tokens
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            try:
                body: Any = json.loads(raw) if path != ZALO_OAUTH_PATH else dict(form)
            except ValueError:
                body = raw.decode("utf-8", errors="replace")
            if self.fail_next:
                status, answer = self.fail_next.pop(0), {"error": -1, "message": "scripted failure"}
            elif method != "POST":
                status, answer = 405, {"error": 405, "message": "method not allowed"}
            elif path == ZALO_OAUTH_PATH:
                status, answer = 200, self._renew(form, headers.get("secret_key", ""))
            else:
                status, answer = zalo_answer(path, token_ok, body)
            self._keep(method, path, headers, token_ok, body, status, answer)
            return status, answer

    def _keep(self, method: str, path: str, headers: dict[str, str], token_ok: bool, body: Any,
              status: int, answer: dict[str, Any]) -> None:
        shown = {k: ("<redacted>" if k in _SECRET_HEADERS else v) for k, v in headers.items()}
        if path == ZALO_OAUTH_PATH and isinstance(body, dict):
            body = {k: ("<redacted>" if k == "refresh_token" else v) for k, v in body.items()}
            answer = {k: ("<redacted>" if k.endswith("_token") else v) for k, v in answer.items()}
        record = {"method": method, "path": path, "headers": shown, "token_ok": token_ok,
                  "body": body, "status": status, "answer": answer}
        self.requests.append(record)
        if self.directory is not None:
            (self.directory / f"{next(self._numbers):06d}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = min(int(self.headers.get("content-length") or 0), 1_000_000)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer = stand_in._record(self.command, self.path, headers,
                                                  self.rfile.read(length))
                out = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_POST = do_GET = _answer

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the requests are recorded, not printed."""

        return Handler

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
