"""A worker that stops making progress without a word restarts itself, and nothing is lost."""

from __future__ import annotations

import time

import pytest

from tests.faults.ledger import committed, log_ends
from tests.faults.stuck import HANGS_ONCE, marker
from tests.integration.conftest import worker_instead
from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.faults

APPLICATIONS = "gov.service_center.restaurant_application_submitted.v1"
WATCH = {"ONETHING_STALL_SECONDS": "8", "ONETHING_LAG_SECONDS": "1"}


def test_a_silently_stalled_worker_restarts_itself_and_finishes_the_work(desk, event_log, settings, worker):
    with worker_instead(worker, settings, log_name="stalled-worker.log", env=WATCH) as watched:
        pid = watched._process.pid
        stuck = submit(desk, HANGS_ONCE, 120.0)
        others = [submit(desk, f"卡住之后的餐馆{i}", 120.0) for i in range(3)]
        for case in (stuck, *others):
            assert outcome(event_log, case.case_id).type == "CaseCompleted"
        # The hung event is handled after all, and every application is committed: nothing waits.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (
            marker(stuck.case_id, "handled").exists()
            and committed(settings, "onething", APPLICATIONS) == log_ends(settings, APPLICATIONS)
        ):
            time.sleep(1)
        assert marker(stuck.case_id, "hung").exists() and marker(stuck.case_id, "handled").exists()
        assert committed(settings, "onething", APPLICATIONS) == log_ends(settings, APPLICATIONS)
        log = watched.log_path.read_text(errors="replace")
        [reason] = [line for line in log.splitlines() if "restarting the worker" in line]
        assert "no progress for 8 s" in reason and APPLICATIONS in reason
        # The same process, replaced in place: supervisors and signals still reach it.
        assert watched._process.pid == pid and watched._process.poll() is None
