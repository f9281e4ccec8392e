"""CPU time a benchmarked process used, read from /proc (Linux)."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU time a running process has used, where /proc tells it."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """The CPU a process uses from now on: ``used()`` is the seconds since the meter was made
    (None where /proc does not tell, before or after)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self._start = cpu_seconds(pid)

    def used(self) -> float | None:
        now = cpu_seconds(self.pid)
        return None if self._start is None or now is None else now - self._start
