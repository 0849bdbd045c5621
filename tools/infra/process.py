"""Start, watch and stop one long-running child process whose output goes to a log file."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


class InfraError(RuntimeError):
    """Infrastructure could not be provisioned or started; the message says what to do."""


def run_checked(cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
                what: str) -> None:
    """Run a provisioning command to completion, raising :class:`InfraError` with its output tail."""
    result = subprocess.run(
        list(cmd), cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise InfraError(f"{what} failed (exit {result.returncode}):\n{tail}")


@dataclass
class ManagedProcess:
    """A child process in its own session (so Ctrl-C reaches only our supervisor)."""

    name: str
    pid: int
    log_path: Path

    @classmethod
    def spawn(cls, name: str, cmd: Sequence[str], *, log_path: Path, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> ManagedProcess:
        """Start ``cmd`` with stdout and stderr appended to ``log_path``."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                list(cmd), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        return cls(name=name, pid=proc.pid, log_path=log_path)

    def alive(self) -> bool:
        """Return whether the process still runs (reaping it if it has exited)."""
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done == self.pid:
                return False
        except ChildProcessError:
            pass  # not our child (e.g. started by an earlier `vanthu infra up`)
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll ``ready`` until true; raise with the log tail if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            if not self.alive():
                raise InfraError(f"{self.name} exited before {what}:\n{self.log_tail()}")
            time.sleep(0.2)
        raise InfraError(f"{self.name}: no {what} within {timeout:.0f}s:\n{self.log_tail()}")

    def log_contains(self, needle: str) -> bool:
        """Return whether the log file contains ``needle``."""
        try:
            return needle in self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return False

    def log_tail(self, lines: int = 25) -> str:
        """Return the last lines of the log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the process group, then SIGKILL if it has not exited within ``timeout``."""
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            if not self.alive():
                return
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and self.alive():
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL at once (fault tests)."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
            while self.alive():
                time.sleep(0.05)
