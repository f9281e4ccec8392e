"""The whole event log for a command that reports on it, or one line saying why it cannot be read."""

from __future__ import annotations

import logging
import sys

from streams.config import Settings
from streams.events import Event


def read_log(settings: Settings, *, timeout: float) -> list[Event] | None:
    """Every event in the log; None (after printing why) if no broker answers or it is not read in time."""
    from streams.broker import kafka_answers  # answers in seconds, not a 30 s hang
    from streams.eventlog import read_to_end
    from streams.security import kafka_options

    # kafka-python logs every refused connection, and a consumer's close, at ERROR; the user gets
    # one line from us (or from the CLI for an exception) instead.
    kafka_log = logging.getLogger("kafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)
    try:
        if not kafka_answers(settings.bootstrap_servers, **kafka_options(settings)):
            print(f"onething: no Kafka broker answers at {settings.bootstrap_servers}", file=sys.stderr)
            return None
        events = read_to_end(settings, timeout=timeout)
    finally:
        kafka_log.setLevel(level)
    if events is None:
        print(f"onething: the event log was not read to its end within {timeout:.0f} s", file=sys.stderr)
    return events
