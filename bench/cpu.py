"""CPU time and peak memory of the stack's processes, from /proc.

``/proc/<pid>/stat`` gives a process's user and system CPU time in clock ticks (fields 14 and 15;
the command name in field 2 may hold spaces and parentheses, so the line is split after its last
``)``). ``/proc/<pid>/status`` gives ``VmHWM``, the peak resident set since the process started.
A :class:`CpuMeter` snapshots every process at the start of a phase and again at its end; the CPU
milliseconds each spent, divided by the dispatches tracked in between, is its cost per dispatch.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu_ticks_of_stat(line: str) -> int:
    """User + system clock ticks from one ``/proc/<pid>/stat`` line."""
    fields = line.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of the whole line


def vm_hwm_kb(status: str) -> int | None:
    """``VmHWM`` (peak resident set, kB) from a ``/proc/<pid>/status`` text, if present."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def cpu_ms(pid: int) -> float | None:
    """CPU milliseconds ``pid`` has used so far, or None if it is gone."""
    try:
        return cpu_ticks_of_stat(Path(f"/proc/{pid}/stat").read_text()) * 1000 / TICKS_PER_S
    except (OSError, IndexError, ValueError):
        return None


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident set of ``pid`` in MB, or None if it is gone."""
    try:
        kb = vm_hwm_kb(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return None if kb is None else round(kb / 1024, 1)


def per_dispatch(spent_ms: Mapping[str, float], dispatches: int) -> dict[str, float | None]:
    """CPU milliseconds per dispatch of each process and their ``total``."""
    if dispatches <= 0:
        return {**{name: None for name in spent_ms}, "total": None}
    out: dict[str, float | None] = {name: round(ms / dispatches, 3) for name, ms in spent_ms.items()}
    out["total"] = round(sum(spent_ms.values()) / dispatches, 3)
    return out


@dataclass
class CpuMeter:
    """CPU milliseconds of named processes between :meth:`start` and :meth:`stop`."""

    pids: dict[str, int]
    before: dict[str, float] = field(default_factory=dict)
    spent: dict[str, float] = field(default_factory=dict)

    def start(self) -> None:
        """Snapshot every process's CPU time now."""
        self.before = {name: ms for name, pid in self.pids.items()
                       if (ms := cpu_ms(pid)) is not None}

    def stop(self) -> dict[str, float]:
        """CPU milliseconds each process spent since :meth:`start` (a process gone is left out)."""
        now = {name: cpu_ms(pid) for name, pid in self.pids.items()}
        self.spent = {name: round(ms - self.before[name], 1) for name, ms in now.items()
                      if ms is not None and name in self.before}
        return self.spent

    def peak_rss_mb(self) -> dict[str, float | None]:
        """Peak resident set (VmHWM) of each process so far, in MB."""
        return {name: peak_rss_mb(pid) for name, pid in self.pids.items()}
