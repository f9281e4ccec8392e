"""Stopping and restarting the broker and the worker loses nothing and duplicates no outcome."""

from __future__ import annotations

from collections import Counter

import pytest

from streams.eventlog import EventLog
from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.integration


def event_ids(events):
    return {e.event_id for e in events}


def test_broker_and_worker_restarts_keep_every_event(desk, event_log, worker, broker, connection):
    before = submit(desk, "重启前餐馆", 350.0)
    assert outcome(event_log, before.case_id).type == "CaseCompleted"
    ids_before = event_ids(event_log.events(before.case_id))

    worker.stop()
    broker.stop()
    broker.start()
    # Submitted while no worker runs: it waits in the log.
    during = submit(desk, "停机中餐馆", 90.0)
    worker.start()
    worker.wait_ready()

    assert outcome(event_log, during.case_id).type == "CaseCompleted"
    reread = EventLog(connection)  # from offset zero, after the restart
    try:
        reread.wait_until(lambda: event_ids(reread.events(before.case_id)) >= ids_before, 30)
        assert event_ids(reread.events(before.case_id)) == ids_before
    finally:
        reread.close()


def test_a_worker_crash_mid_case_neither_loses_nor_repeats_an_outcome(desk, event_log, worker):
    crashed = submit(desk, "崩溃中餐馆", 500.0)
    event_log.wait_until(lambda: len(event_log.events(crashed.case_id)) >= 2, 60)
    worker.kill()
    worker.start()
    worker.wait_ready()

    assert outcome(event_log, crashed.case_id).type == "CaseCompleted"
    # Redelivered events may be re-sent, but with the same event ids: one logical event each.
    kinds = Counter(e.type for e in {e.event_id: e for e in event_log.events(crashed.case_id)}.values())
    assert kinds["CaseCompleted"] == 1
    assert all(count == 1 for count in kinds.values()), kinds
