"""The schema registry as a service of its own: `onething registry serve` in a process with a pid file.

Its lifetime is the deployment's, not that of whichever tool happened to start first: `onething
broker up` starts it beside the broker and `broker down` stops it; tests start it once per session.
Every other process is a client and waits for it (streams.startup).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request

from streams.config import Settings


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/subjects", timeout=timeout) as reply:
            return reply.status == 200
    except OSError:
        return False


class RegistryProcess:
    def __init__(self, settings: Settings, *, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.registry_port}"
        self.pid_file = settings.home / f"registry-{settings.registry_port}.pid"
        self.log_path = settings.home / f"registry-{settings.registry_port}.log"
        self.env = {**os.environ, **(env or {})}
        self._proc: subprocess.Popen[bytes] | None = None

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if self._proc is not None and self._proc.pid == pid:
            return pid if self._proc.poll() is None else None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return pid

    def start(self, timeout: float = 60) -> bool:
        """Start serving and wait until it answers; False if it already ran."""
        if self.pid() is not None and answers(self.url):
            return False
        self.settings.home.mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            "ONETHING_BOOTSTRAP": self.settings.bootstrap_servers,
            "ONETHING_REGISTRY_PORT": str(self.settings.registry_port),
            "ONETHING_HOME": str(self.settings.home),
        }
        with self.log_path.open("ab") as out:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "registry", "serve"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                start_new_session=True,  # outlives the command that started it
            )
        self.pid_file.write_text(f"{self._proc.pid}\n")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise RuntimeError(f"the schema registry exited while starting; see {self.log_path}")
            if answers(self.url):
                return True
            time.sleep(0.2)
        raise TimeoutError(f"the schema registry did not answer at {self.url}; see {self.log_path}")

    def stop(self, timeout: float = 15, *, sig: int = signal.SIGTERM) -> int | None:
        """Stop it (SIGKILL for a crash); the pid it stopped, or None if none ran."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return None
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while self.pid() is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.pid() is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self._proc is not None:
            self._proc.wait()
            self._proc = None
        self.pid_file.unlink(missing_ok=True)
        return pid

    def kill(self) -> int | None:
        return self.stop(sig=signal.SIGKILL)
