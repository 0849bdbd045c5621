"""Local catchers for outgoing notifications, so a laptop or a test sees what would be sent.

- an SMTP server (aiosmtpd) that writes every accepted message to ``<dir>/mail/<n>.eml``;
- an HTTP receiver for webhooks (a chat bridge stand-in) that writes ``<dir>/webhooks/<n>.json``;
- :class:`ZaloStandIn`, a stand-in for Zalo's OA API that checks the request shape and answers as
  Zalo does (``services/notifier/channels/zalo.py``), recording each message.

Used by ``vanthu sink`` (started by ``make up`` and ``vanthu demo``) and by end-to-end tests. All
listen on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
from collections.abc import Iterable
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller


class MaildirSink:
    """aiosmtpd handler storing each message with its envelope recipients in a header."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._numbers = _numbering(directory, ".eml")

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message; the envelope recipients go in X-Envelope-To."""
        raw = bytes(envelope.original_content or b"")
        rcpt = ", ".join(envelope.rcpt_tos)
        path = self.directory / f"{next(self._numbers):06d}.eml"
        path.write_bytes(f"X-Envelope-To: {rcpt}\r\n".encode() + raw)
        return "250 OK"


def read_mail(directory: Path) -> list[EmailMessage]:
    """Every message stored by a :class:`MaildirSink`, in arrival order."""
    messages = []
    for path in sorted(directory.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if isinstance(message, EmailMessage):
            messages.append(message)
    return messages


def _numbering(directory: Path, suffix: str) -> itertools.count[int]:
    directory.mkdir(parents=True, exist_ok=True)
    return itertools.count(len(list(directory.glob(f"*{suffix}"))) + 1)


async def _webhook_server(directory: Path, port: int,
                          numbers: itertools.count[int]) -> asyncio.Server:

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (h.partition(":") for h in head[1:] if h)}
            body = await reader.readexactly(min(int(headers.get("content-length", "0")), 5_000_000))
            record = {"request": head[0], "headers": headers,
                      "body": body.decode("utf-8", errors="replace")}
            (directory / f"{next(numbers):06d}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=2))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except (asyncio.IncompleteReadError, ValueError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


async def run_sinks(directory: Path, smtp_port: int, webhook_port: int) -> None:
    """Run both catchers until cancelled (small local files are written synchronously)."""
    controller = Controller(MaildirSink(directory / "mail"), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    hooks = directory / "webhooks"
    server = await _webhook_server(hooks, webhook_port, _numbering(hooks, ".json"))
    print(f"sinks ready: smtp 127.0.0.1:{smtp_port}, webhooks 127.0.0.1:{webhook_port}", flush=True)
    try:
        async with server:
            await server.serve_forever()
    finally:
        controller.stop()


ZALO_MESSAGE_PATH = "/v3.0/oa/message/cs"
ZALO_TEXT_LIMIT = 2000


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


class ZaloStandIn:
    """Zalo's OA API on a 127.0.0.1 port (a real HTTP server, in a thread): accepts ``tokens``,
    answers as :func:`zalo_answer` says (or with the HTTP statuses queued in ``fail_next``), and
    records every request in ``requests`` (and in ``<directory>/<n>.json``, token redacted)."""

    def __init__(self, tokens: Iterable[str], directory: Path | None = None, port: int = 0) -> None:
        self.tokens = set(tokens)
        self.fail_next: list[int] = []
        self.requests: list[dict[str, Any]] = []
        self.directory = directory
        self._numbers = _numbering(directory, ".json") if directory else itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The API base URL (what NOTIFIER_ZALO_API_BASE should be)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def revoke(self, token: str) -> None:
        """From now on ``token`` gets error -216, as an expired OA access token does."""
        with self._lock:
            self.tokens.discard(token)

    def messages(self) -> list[dict[str, Any]]:
        """The bodies of the messages answered with error 0, in arrival order."""
        with self._lock:
            return [r["body"] for r in self.requests if r["answer"].get("error") == 0]

    def _record(self, method: str, path: str, headers: dict[str, str], raw: bytes
                ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            token_ok = headers.get("access_token", "") in self.tokens
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", errors="replace")
            if self.fail_next:
                status, answer = self.fail_next.pop(0), {"error": -1, "message": "scripted failure"}
            elif method != "POST":
                status, answer = 405, {"error": 405, "message": "method not allowed"}
            else:
                status, answer = zalo_answer(path, token_ok, body)
            shown = {k: ("<redacted>" if k == "access_token" else v) for k, v in headers.items()}
            record = {"method": method, "path": path, "headers": shown, "token_ok": token_ok,
                      "body": body, "status": status, "answer": answer}
            self.requests.append(record)
            if self.directory is not None:
                (self.directory / f"{next(self._numbers):06d}.json").write_text(
                    json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
            return status, answer

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
