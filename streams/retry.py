"""Waiting out what is passing: back-off delays, and waiting for a service with a progress line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Unavailable(OSError):
    """A service did not come within the time the user allowed; the message names it."""


def delay(attempt: int, *, base: float = 0.1, cap: float = 5.0) -> float:
    """Exponential back-off: base, 2·base, 4·base … never more than cap."""
    return min(cap, base * 2 ** min(max(attempt, 0), 16))


def wait_for(
    what: str,
    available: Callable[[], bool],
    *,
    timeout: float,
    hint: str = "",
    out: TextIO | None = None,
) -> None:
    """Return once ``available()``; print a progress line while waiting; raise Unavailable at timeout."""
    out = out or sys.stderr
    started = time.monotonic()
    attempt = 0
    while not available():
        waited = time.monotonic() - started
        if waited >= timeout:
            if attempt:
                out.write("\n")
            raise Unavailable(f"{what} did not answer within {timeout:.0f} s{'; ' + hint if hint else ''}")
        line = f"\rwaiting for {what}: {waited:.0f} s of {timeout:.0f} s"
        out.write(line + (f" ({hint})" if hint else ""))
        out.flush()
        time.sleep(min(delay(attempt, base=0.25, cap=2.0), max(0.0, timeout - waited)))
        attempt += 1
    if attempt:
        out.write(f"\r{what} answered after {time.monotonic() - started:.0f} s" + " " * 40 + "\n")
