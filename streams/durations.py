"""How long cases and matters took, as histograms in working days and platform-clock seconds.

Observed by the tracker once per completed case and once per matter done (redeliveries never reach
it), so with several workers each completion is counted by exactly one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prometheus_client import Histogram

from streams.calendar import working_days_between

WORKING_DAY_BUCKETS = (0.25, 0.5, 1, 2, 3, 5, 10, 15, 20, 30, 45)
# Platform-clock seconds: a minute up to a month.
SECOND_BUCKETS = (60, 600, 3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400)
CASE_WORKING_DAYS = Histogram(
    "onething_case_working_days",
    "Working days from application to completion",
    ["flow"],
    buckets=WORKING_DAY_BUCKETS,
)
CASE_SECONDS = Histogram(
    "onething_case_seconds",
    "Platform-clock seconds from application to completion",
    ["flow"],
    buckets=SECOND_BUCKETS,
)
MATTER_WORKING_DAYS = Histogram(
    "onething_matter_working_days",
    "Working days from a matter's trigger to its done event",
    ["department", "matter"],
    buckets=WORKING_DAY_BUCKETS,
)
MATTER_SECONDS = Histogram(
    "onething_matter_seconds",
    "Platform-clock seconds from a matter's trigger to its done event",
    ["department", "matter"],
    buckets=SECOND_BUCKETS,
)


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def observe_case(completion: dict[str, Any]) -> None:
    """A CaseCompleted payload: how long the applicant waited."""
    flow = completion["flow"]
    CASE_WORKING_DAYS.labels(flow).observe(completion["elapsed_working_days"])
    CASE_SECONDS.labels(flow).observe((completion["completed_at"] - completion["started_at"]) / 1000)


def observe_matter(department: str, matter: str, started_ms: int | None, done_ms: int) -> None:
    """A matter done; ``started_ms`` is when its (last) trigger arrived, None if never seen."""
    if started_ms is None:
        return
    MATTER_WORKING_DAYS.labels(department, matter).observe(
        working_days_between(_at(started_ms), _at(done_ms))
    )
    MATTER_SECONDS.labels(department, matter).observe(max(done_ms - started_ms, 0) / 1000)
