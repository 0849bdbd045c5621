"""Where the infrastructure's sources, caches and tools live."""

from __future__ import annotations

import os
import socket
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository checkout (the package is installed in editable mode)."""

INFRA_SOURCES = Path(__file__).resolve().parent / "build"
"""Our pom.xml, Kafka config templates and the FerretDB Go main module."""


def cache_dir() -> Path:
    """Return the download/build cache, ``$VANTHU_CACHE`` or ``~/.cache/vanthu``, creating it."""
    path = Path(os.environ.get("VANTHU_CACHE", Path.home() / ".cache" / "vanthu"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Return whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
