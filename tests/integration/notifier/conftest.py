"""A real SMTP server (aiosmtpd) and a real HTTP webhook receiver, on free 127.0.0.1 ports."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MailSink:
    """aiosmtpd handler: answers scripted replies to DATA first (e.g. '451 …'), then accepts."""

    port: int = 0
    replies: list[str] = field(default_factory=list)
    received: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.received.append((list(envelope.rcpt_tos), bytes(envelope.original_content or b"")))
        return "250 OK"

    def messages(self) -> list[tuple[list[str], bytes, EmailMessage]]:
        """(envelope recipients, raw bytes, parsed message) of everything accepted."""
        parsed = [message_from_bytes(raw, policy=policy.default) for _, raw in self.received]
        return [(rcpt, raw, msg) for (rcpt, raw), msg in zip(self.received, parsed, strict=True)
                if isinstance(msg, EmailMessage)]


@pytest.fixture
def smtp_server() -> Iterator[MailSink]:
    """A real SMTP server collecting messages into a list."""
    sink = MailSink(port=_free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class WebhookReceiver:
    """Records every request; answers the scripted statuses first, then 200."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str], bytes, int]] = field(default_factory=list)

    @property
    def accepted(self) -> list[tuple[str, dict[str, str], bytes, int]]:
        """Requests answered with 2xx."""
        return [r for r in self.requests if 200 <= r[3] < 300]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        path = head[0].split(" ")[1]
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = self.statuses.pop(0) if self.statuses else 200
        self.requests.append((path, headers, body, status))
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()


@pytest.fixture
async def webhook_receiver() -> AsyncIterator[WebhookReceiver]:
    """A real HTTP server on 127.0.0.1 (raw asyncio, no framework)."""
    receiver = WebhookReceiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield receiver
    finally:
        server.close()
        await server.wait_closed()
