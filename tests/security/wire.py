"""Raw HTTP/1.1 over a socket, for requests no well-behaved client sends."""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class RawAnswer:
    """What came back: status, body, seconds to the first byte, body bytes the client got to send."""

    status: int
    body: bytes
    seconds: float
    sent: int

    def json(self) -> Any:
        return json.loads(self.body)


def _read_answer(sock: socket.socket, deadline: float) -> tuple[int, bytes]:
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), None)
        if sep and length is not None and len(body) >= length:
            break
    if not data.startswith(b"HTTP/1.1 "):
        raise AssertionError(f"no HTTP answer: {data[:200]!r}")
    return int(data[9:12]), data.partition(b"\r\n\r\n")[2]


def _send_until_answered(sock: socket.socket, pieces: Iterable[bytes]) -> tuple[int, bool]:
    """Send ``pieces`` in turn until the server answers or refuses more bytes (a server that
    refuses a huge head or body answers and closes before it is all sent). Returns the bytes sent
    and whether every piece went out."""
    sent = 0
    for piece in pieces:
        if select.select([sock], [], [], 0)[0]:
            return sent, False
        try:
            sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            return sent, False
        sent += len(piece)
    return sent, True


def raw_request(url: str, head: bytes, body: Iterable[bytes] = (), timeout: float = 30.0
                ) -> RawAnswer:
    """Send ``head`` (request line and headers, ending in a blank line), then ``body`` chunk by
    chunk until the server answers; return its answer. Stops sending as soon as an answer starts."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    deadline = started + timeout
    sent = 0
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        _, head_complete = _send_until_answered(
            sock, (head[i:i + 65536] for i in range(0, len(head), 65536)))
        if head_complete:
            sent, _ = _send_until_answered(sock, body)
        status, answer = _read_answer(sock, deadline)
    return RawAnswer(status, answer, time.monotonic() - started, sent)


def chunked(total: int, piece: int = 65536, filler: bytes = b" ", start: bytes = b"{"
            ) -> Iterable[bytes]:
    """A chunked transfer-encoded body of about ``total`` bytes, sent ``piece`` at a time: ``start``
    (by default the start of a JSON object) then ``filler``."""
    yield f"{len(start):x}\r\n".encode() + start + b"\r\n"
    for _ in range(total // piece):
        yield f"{piece:x}\r\n".encode() + filler * piece + b"\r\n"
    yield b"1\r\n}\r\n0\r\n\r\n"


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of process ``pid`` in MB (VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")
