"""The platform's clock: real time, or time running faster so simulations reach deadlines.

Every process of one deployment must agree on the time, so an accelerated clock is defined by
two settings shared by all of them: the real moment it started (origin) and its speed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime


class Clock:
    def __init__(self, *, speed: float = 1.0, origin: float | None = None) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self.speed = speed
        self.origin = time.time() if origin is None else origin

    def timestamp(self) -> float:
        """Seconds since the epoch on this clock."""
        real = time.time()
        return self.origin + (real - self.origin) * self.speed

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    def millis(self) -> int:
        return int(self.timestamp() * 1000)

    def real_seconds(self, clock_seconds: float) -> float:
        """How long, in real seconds, ``clock_seconds`` of this clock take."""
        return clock_seconds / self.speed

    def __repr__(self) -> str:
        return f"Clock(speed={self.speed:g}, origin={self.origin:.3f})"


SYSTEM_CLOCK = Clock()

_IN_USE: ContextVar[Clock] = ContextVar("platform_clock", default=SYSTEM_CLOCK)


def clock_in_use() -> Clock:
    """The platform clock code running here reads: the system clock unless `using` said otherwise.

    Whoever dates something for the platform (a simulated applicant's "today") must read the clock
    that will stamp the event, not the wall clock, or an accelerated run ages every application.
    """
    return _IN_USE.get()


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    token = _IN_USE.set(clock)
    try:
        yield clock
    finally:
        _IN_USE.reset(token)
