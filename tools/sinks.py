"""Local catchers for outgoing notifications, so a laptop or a test sees what would be sent.

- an SMTP server (aiosmtpd) that writes every accepted message to ``<dir>/mail/<n>.eml``;
- an HTTP receiver for webhooks (a chat bridge stand-in) that writes ``<dir>/webhooks/<n>.json``;
- Zalo's OA API stand-in is :class:`tools.zalo_stand_in.ZaloStandIn`.

Used by ``vanthu sink`` (started by ``make up`` and ``vanthu demo``) and by end-to-end tests. All
listen on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MaildirSink:
    """aiosmtpd handler storing each message with its envelope recipients in a header."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._numbers = numbering(directory, ".eml")

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


def numbering(directory: Path, suffix: str) -> itertools.count[int]:
    """Numbers for the files of ``directory`` ending in ``suffix``, after those already there."""
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
    server = await _webhook_server(hooks, webhook_port, numbering(hooks, ".json"))
    print(f"sinks ready: smtp 127.0.0.1:{smtp_port}, webhooks 127.0.0.1:{webhook_port}", flush=True)
    try:
        async with server:
            await server.serve_forever()
    finally:
        controller.stop()
