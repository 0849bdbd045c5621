"""Measure: peak RSS of a tracker HTTP process sent 200 MB of JSON without a token, with and without
the credentials-first gate. Run: ``.venv/bin/python -m tests.security.measure_tracker_body``.

The process serves the tracker's real routes (``tracker_router``) over an in-memory repository, so
no Kafka or MongoDB is needed; the request body is what is measured, not the store.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time

from tools.infra.paths import free_port

SIZE = 200_000_000
SERVER = """
import sys, uvicorn
from fastapi import FastAPI
from services.tracker.access import AccessControl
from services.tracker.api import tracker_router
from services.tracker.gate import CredentialsFirst
from shared.clock import SystemClock
from shared.tokens import hash_secret
from tests.service.tracker_fakes import InMemoryTrackerRepository, RecordingBroker
access = AccessControl(f"QLTM:{hash_secret('qltm')}", "")
app = FastAPI()
app.include_router(tracker_router(InMemoryTrackerRepository(), RecordingBroker(), access,
                                  SystemClock()))
if sys.argv[2] == "gate":
    app.add_middleware(CredentialsFirst, access=access)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", lifespan="off")
"""


def _peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def measure(mode: str) -> tuple[float, float, str, float]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), mode])
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        before = _peak_mb(proc.pid)
        started = time.monotonic()
        sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        sock.sendall(f"POST /dispatches/d1/units/QLTM/responses HTTP/1.1\r\nHost: t\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {SIZE}\r\n\r\n"
                     .encode() + b'{"note": "')
        chunk, sent = b"x" * 1_048_576, 0
        sock.settimeout(0.001)
        answer = b""
        while sent < SIZE - 2 and not answer:
            try:
                sent += sock.send(chunk[: SIZE - 2 - sent])
            except (TimeoutError, BlockingIOError):
                pass
            except OSError:
                break
            with contextlib.suppress(TimeoutError, BlockingIOError):
                answer = sock.recv(200)
        if not answer:
            sock.settimeout(120)
            sock.sendall(b'"}')
            answer = sock.recv(200)
        seconds = time.monotonic() - started
        sock.close()
        time.sleep(0.5)
        return before, _peak_mb(proc.pid), answer.split(b"\r\n")[0].decode(), seconds
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    for mode in ("gate", "nogate"):
        before, peak, status, seconds = measure(mode)
        print(f"{mode:7} peak RSS {before:.0f} MB idle -> {peak:.0f} MB; answer {status!r} "
              f"after {seconds:.2f} s")
