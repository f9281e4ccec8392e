"""Days as departments reason about them: "today" is the Beijing day a trigger happened on the
platform clock (which simulations speed up), never the wall clock of the machine running the handler.
"""

from __future__ import annotations

from datetime import date, datetime

from streams.calendar import CHINA
from streams.clock import clock_in_use
from streams.events import Event


def occurred_on(event: Event) -> date:
    """The day the event happened, in Beijing time (envelopes hold a datetime once decoded, or ms)."""
    moment = event.occurred_at
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(int(moment) / 1000, CHINA)
    return moment.astimezone(CHINA).date()


def today() -> date:
    """Today in Beijing on the platform clock in use (see `streams.clock.using`)."""
    return clock_in_use().now().astimezone(CHINA).date()


def full_years(born: date, on: date) -> int:
    """Age in completed years on a day (周岁)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
