"""Profiles one service process under load with pyinstrument (a statistical profiler).

The service is restarted under ``python -m pyinstrument -m services.<name>.main``, loaded for a
while, then stopped with SIGINT (uvicorn shuts down and pyinstrument writes its session). Self time
is summed per package: where the process spends its CPU, and how much of the wall time it waits in
the event loop's ``select`` (idle or on I/O). The CPU seconds every process (services, Kafka,
FerretDB) used during the load are read from /proc.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pyinstrument.frame import Frame
from pyinstrument.session import Session

from bench.load import batch_open_loop
from bench.steps import batch_size
from tools.infra.process import ManagedProcess
from tools.stack_harness import Stack

IDLE = {"select", "poll", "epoll.poll", "select.select"}


def _walk(frame: Frame, by_package: dict[str, float], by_function: dict[str, float],
          parent: str = "?") -> None:
    path = frame.file_path or ""
    if frame.is_synthetic:  # pyinstrument's "[self]": time in the parent frame itself
        package = parent
    elif "site-packages/" in path:
        package = path.split("site-packages/", 1)[1].split("/", 1)[0]
    elif "/work/" in path or path.startswith(("services", "shared")):
        package = "/".join(Path(path).parts[-3:-1]) if "services" in path or "shared" in path \
            else "vanthu"
    else:
        package = "stdlib" if path else (frame.function or "?")
    if frame.function in IDLE:
        package = "idle (event loop select)"
    own = frame.total_self_time
    by_package[package] += own
    if not frame.is_synthetic:
        by_function[f"{frame.function} ({frame.file_path_short}:{frame.line_no})"] += own
    for child in frame.children:
        _walk(child, by_package, by_function, package)


def summarise(session_file: Path, top: int = 8) -> dict[str, Any]:
    """Seconds of self time per package and the hottest functions."""
    session = Session.load(str(session_file))
    root = session.root_frame()
    if root is None:
        return {"error": "empty profile"}
    by_package: dict[str, float] = defaultdict(float)
    by_function: dict[str, float] = defaultdict(float)
    _walk(root, by_package, by_function)
    total = sum(by_package.values()) or 1.0

    def most(shares: dict[str, float]) -> list[tuple[str, float]]:
        return sorted(shares.items(), key=lambda kv: -kv[1])[:top]

    return {"seconds": round(total, 1),
            "share_by_package": {k: round(v / total, 3) for k, v in most(by_package)},
            "hottest_functions": {k: round(v / total, 3) for k, v in most(by_function)
                                  if not k.startswith(tuple(IDLE))}}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile_service(stack: Stack, service: str, rate: float, seconds: float,
                    out_dir: Path) -> dict[str, Any]:
    """Restart ``service`` under pyinstrument, load the pipeline, stop it, and summarise."""
    fleet = stack.fleet
    fleet.stop(service)
    session_file = out_dir / f"profile-{service}.pyisession"
    session_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pyinstrument", "-r", "pyisession", "-o", str(session_file),
           "-m", f"services.{service}.main"]
    proc = ManagedProcess.spawn(service, cmd, log_path=fleet.log_dir / f"{service}-profiled.log",
                                env=fleet._env())
    fleet.processes[service] = proc
    proc.wait_until(lambda: fleet.healthy(service), 90, "200 from /ready")
    pids = {name: p.pid for name, p in {**fleet.processes,
                                           **(stack.infra.processes if stack.infra else {})}.items()}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    asyncio.run(batch_open_loop(f"{fleet.url('ingest')}/dispatches/batch", rate, seconds,
                                batch_size(rate)))
    cpu = {name: round(cpu_seconds(pid) - before[name], 1) for name, pid in pids.items()}
    os.kill(proc.pid, signal.SIGINT)  # uvicorn re-raises SIGTERM after shutdown; SIGINT lets
    for _ in range(300):              # pyinstrument catch KeyboardInterrupt and write its session
        if not proc.alive():
            break
        time.sleep(0.1)
    fleet.stop(service)
    if not session_file.exists():
        return {"service": service, "error": "pyinstrument wrote no session"}
    return {"service": service, "offered_per_s": rate, "seconds_loaded": seconds,
            "cpu_seconds_by_process": cpu, **summarise(session_file)}
