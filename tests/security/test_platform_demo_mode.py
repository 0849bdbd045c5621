"""``make up`` without .env is demo mode: it says so loudly and binds every service to 127.0.0.1,
even when HTTP_HOST asks for every address."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tools.fleet import SERVICES, wait_for
from tools.infra.paths import free_port

pytestmark = pytest.mark.infra


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp{,6}) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_demo_mode_announces_public_credentials_and_listens_on_loopback_only(
        infra: Any, tmp_path: Path) -> None:
    ports = {service: free_port() for service in SERVICES}
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap,
           "MONGODB_URL": infra.mongodb_url, "MONGODB_DATABASE": f"demo_{uuid.uuid4().hex[:8]}",
           "HTTP_HOST": "0.0.0.0", "SMTP_SINK_PORT": "0", "LOG_LEVEL": "WARNING",
           **{f"{service.upper()}_PORT": str(port) for service, port in ports.items()}}
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        up = subprocess.Popen([sys.executable, "-m", "tools.cli", "up", "--demo",
                               "--data-dir", str(tmp_path / "data")], env=env, stdout=out,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert wait_for(lambda: "Vanthu is up" in log.read_text() or up.poll() is not None, 180)
        text = log.read_text()
        assert up.poll() is None, text[-2000:]
        assert "CHẾ ĐỘ DEMO" in text and "demo-leader-token" in text and "demo-key" in text
        for service, port in ports.items():
            assert _listening_addresses(port) == {"0100007F"}, service  # 127.0.0.1 only
        answer = httpx.get(f"http://127.0.0.1:{ports['tracker']}/dispatches/none", timeout=10,
                           headers={"Authorization": "Bearer demo-leader-token"})
        assert answer.status_code == 404, "the demo leadership token is active in demo mode"
    finally:
        os.killpg(up.pid, signal.SIGTERM)
        try:
            up.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(up.pid, signal.SIGKILL)
            up.wait(10)
