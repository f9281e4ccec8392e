"""A progress line on stderr for long replays: only on a terminal, or when asked for."""

from __future__ import annotations

import sys
import time
from typing import TextIO

# Redraw at most this often (seconds): a line per record would cost more than the replay.
REDRAW_SECONDS = 0.2
BAR = 30


class ProgressLine:
    def __init__(self, what: str, *, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._drawn = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        filled = int(BAR * done / total)
        self.stream.write(f"\r{self.what} [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}")
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
