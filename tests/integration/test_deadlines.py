"""Departments that stop answering: the matter runs late, is reported, and goes to 督办."""

from __future__ import annotations

import time

import pytest

from streams.worker_process import WorkerProcess
from tests.integration.conftest import worker_env
from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.integration

# A working day passes in under two real seconds, so a 1-day matter is late within seconds.
FAST_CLOCK = {"ONETHING_CLOCK_SPEED": "50000", "ONETHING_CLOCK_ORIGIN": str(time.time())}


def licence_escalation(event_log, case_id):
    return next(
        (
            e
            for e in event_log.events(case_id)
            if e.type == "CaseEscalated" and e["matter"] == "market_regulation.business_license"
        ),
        None,
    )


def test_a_case_no_department_answers_is_escalated_then_completes_when_they_return(
    settings, worker, desk, event_log
):
    # Departments are down; the tracker, deployed on its own, keeps watching the clock.
    worker.stop()
    tracker_only = WorkerProcess(
        log_path=worker.log_path,
        env={**worker_env(settings), **FAST_CLOCK},
        # A group of its own, from now on: from the start it would publish again, under the same
        # ids, everything the tracker ever published, for other groups to drop as copies.
        args=("--no-departments", "--from", "latest"),
    )
    tracker_only.start()
    try:
        tracker_only.wait_ready()
        application = submit(desk, "无人受理餐馆", 480.0)
        event_log.wait_until(lambda: licence_escalation(event_log, application.case_id) is not None, 60)
    finally:
        tracker_only.stop()

    escalated = licence_escalation(event_log, application.case_id)
    assert escalated is not None, [e.type for e in event_log.events(application.case_id)]
    assert escalated["escalated_to"] == "督办"
    assert "market_regulation" in escalated["reason"]
    [missed] = [
        e
        for e in event_log.events(application.case_id)
        if e.type == "DeadlineMissed" and e["matter"] == escalated["matter"]
    ]
    assert escalated.causation_id == missed.event_id

    # The departments are back: they catch up from the log and the case still completes.
    worker.start()
    worker.wait_ready()
    assert outcome(event_log, application.case_id).type == "CaseCompleted"
