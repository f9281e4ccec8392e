"""Departments that take their time: with handling times on, a restaurant's food permit and health
certificates come the drawn number of working days after the licence, on the platform clock, and
the report's on-time rate counts the cases that ran past the flow's 13 days."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from agents import health, market_regulation
from streams.calendar import working_days_between
from streams.demo import EVERY_MATERIAL, restaurant_application
from streams.handling import handling_days
from streams.service_desk import ServiceDesk
from tests.integration.conftest import fast_clock_worker
from tests.integration.test_report import report

pytestmark = pytest.mark.integration

SPEED = 86400.0  # a day a second, as `onething demo` runs
TIMEOUT = 120
PERMIT = next(m for m in market_regulation.department.matters if m.name == "food_business_permit")
CERTIFICATES = next(m for m in health.department.matters if m.name == "staff_health_certificates")
# A restaurant of 120 m² with no signboard needs the licence (at once), the permit and the certificates.
HELD = (PERMIT, CERTIFICATES)


def drawn(case_id: str) -> dict[str, float]:
    return {m.done: handling_days(case_id, m.key, m.typical_working_days) for m in HELD}


def a_case(taking: Callable[[float], bool]) -> str:
    """A new case id whose slower held matter takes a number of working days ``taking`` accepts."""
    run = uuid.uuid4().hex[:6].upper()
    return next(c for n in range(10_000) if taking(max(drawn(c := f"C-{run}{n:04d}").values())))


def at(event) -> object:
    return event.envelope["occurred_at"]


def test_matters_take_their_drawn_working_days_and_some_cases_run_late(
    worker, connection, event_log, settings, capsys, monkeypatch
):
    before = report(capsys, monkeypatch, settings)
    # The licence comes at once; a second of real latency is a working day on this clock, so the
    # case on time leaves six days to spare and the late one runs past 13 on its draws alone.
    on_time, late = a_case(lambda days: days < 7), a_case(lambda days: days > 13.5)
    with fast_clock_worker(
        worker, connection, speed=SPEED, log_name="handling-worker.log", env={"ONETHING_HANDLING_TIMES": "1"}
    ) as (_, fast):
        desk = ServiceDesk(fast)
        try:
            for case_id in (on_time, late):
                app = restaurant_application("阿娘面馆", 120.0, 4, None, list(EVERY_MATERIAL))
                desk.submit(
                    "RestaurantApplicationSubmitted",
                    app,
                    subject=app["legal_representative"],
                    case_id=case_id,
                )
            assert event_log.wait_until(
                lambda: all(
                    any(e.type == "CaseCompleted" for e in event_log.events(c)) for c in (on_time, late)
                ),
                TIMEOUT,
            ), {c: [e.type for e in event_log.events(c)] for c in (on_time, late)}
        finally:
            desk.close()

    for case_id, expected_on_time in ((on_time, True), (late, False)):
        events = {e.type: e for e in event_log.events(case_id)}
        licensed = at(events["BusinessLicenseIssued"])
        for done, days in drawn(case_id).items():
            # Each held output is stamped the drawn number of working days after its trigger.
            assert working_days_between(licensed, at(events[done])) == pytest.approx(days, abs=1e-3)
        completion = events["CaseCompleted"].payload
        slowest = max(drawn(case_id).values())
        assert working_days_between(licensed, at(events["CaseCompleted"])) >= slowest - 1e-3
        # From the application: the slowest matter plus the licence's latency (seconds, so days here);
        # the payload rounds to four places, so it may sit a rounding step below the unrounded draw.
        assert slowest - 1e-4 <= completion["elapsed_working_days"] < slowest + 5
        assert completion["on_time"] is expected_on_time

    after = report(capsys, monkeypatch, settings)

    def on_time_count(flow: dict) -> int:
        return round((flow["on_time_rate"] or 0) * flow["cases"]["completed"])

    completed = after["cases"]["completed"] - before["cases"]["completed"]
    assert completed == 2
    assert on_time_count(after) - on_time_count(before) == 1
    assert 0 < after["on_time_rate"] < 1
