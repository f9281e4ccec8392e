"""Starts and stops `onething run` as a separate process, as an operator or a test would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

READY_MARK = "Worker ready"
# What the interpreter runs: `onething run`, unless a benchmark runs a faust worker of its own.
RUN = ("-m", "streams.cli", "run")


class WorkerProcess:
    def __init__(
        self,
        *,
        log_path: Path,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        python: str = sys.executable,
        command: tuple[str, ...] = RUN,
    ) -> None:
        self.log_path = log_path
        self.env = {**os.environ, **(env or {})}
        self.args = args
        # Another environment's interpreter runs the departments installed there (a plug-in's).
        self.python = python
        self.command = command
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self._process = subprocess.Popen(
            [self.python, *self.command, *self.args],
            env=self.env,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        """Block until faust reports the worker ready (partitions assigned, tables recovered)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            with self.log_path.open("rb") as log:
                log.seek(self._offset)
                if READY_MARK.encode() in log.read():
                    return
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready after {timeout:.0f} s; see {self.log_path}")

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM: faust finishes in-flight events and commits before leaving."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def kill(self) -> None:
        """SIGKILL: a crash, with whatever was in flight left uncommitted."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
