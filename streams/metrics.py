"""Prometheus metrics every worker exports; labels stay low-cardinality (no case ids)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram, start_http_server

from streams.ports import require_free

EVENTS_CONSUMED = Counter(
    "onething_events_consumed",
    "Events decoded by a department or the tracker",
    ["agent", "event_type"],
)
EVENTS_EMITTED = Counter("onething_events_emitted", "Events published", ["agent", "event_type"])
DUPLICATES_SKIPPED = Counter(
    "onething_duplicates_skipped",
    "Events seen again after a redelivery and not reprocessed",
    ["agent"],
)
DEAD_LETTERED = Counter(
    "onething_dead_lettered", "Records sent to the dead-letter topic", ["agent", "reason"]
)
HANDLER_RETRIES = Counter("onething_handler_retries", "Handler attempts that raised", ["agent", "matter"])
HANDLER_SECONDS = Histogram(
    "onething_handler_seconds", "Time spent in department handlers", ["agent", "matter"]
)
CASES = Counter("onething_cases", "Cases seen by the tracker, by outcome", ["flow", "outcome"])


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Expose /metrics on ``port``; 0 keeps metrics in-process only."""
    if port:
        require_free(port, host, what="Prometheus metrics", setting="ONETHING_METRICS_PORT")
        start_http_server(port, addr=host)
