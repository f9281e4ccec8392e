"""Stopping and restarting the broker and the worker loses nothing and duplicates no outcome."""

from __future__ import annotations

import marshal
import re
import time
from collections import Counter

import pytest

from streams.demo import restaurant_application
from streams.eventlog import EventLog
from streams.frozen_ids import RECORD
from streams.table_snapshot import SUFFIX
from tests.faults.ledger import committed, log_ends
from tests.integration.test_restaurant_flow import EVERY_MATERIAL, outcome, submit

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


def test_a_clean_restart_reads_the_tables_from_where_they_stopped(desk, event_log, worker, settings):
    application = restaurant_application("快照前餐馆", 120.0, 6, "招牌", list(EVERY_MATERIAL))
    record = desk.record(
        "RestaurantApplicationSubmitted", application, subject=application["legal_representative"]
    )
    desk.send_raw(record.topic, record.value, key=record.key, headers=record.headers)
    first = outcome(event_log, record.event.case_id)
    ends_before = {table: sum(log_ends(settings, topic).values()) for table, topic in CHANGELOGS.items()}

    worker.stop()  # SIGTERM: each table saves what it holds
    # Processed ids are saved as records (streams/id_store.py), none of them as a key of its own.
    processed = saved_snapshot(settings, "tracker-processed")
    assert len(processed["frozen"][1]) >= RECORD.size
    assert not any(keys for keys, _ in processed["partitions"].values())
    since = worker.log_path.stat().st_size
    worker.start()
    worker.wait_ready()
    restarted = worker.log_path.read_bytes()[since:].decode(errors="replace")

    assert "cases: " in restarted and re.search(r"cases: \d+ keys loaded from its snapshot", restarted)
    read = {
        table: int(n)
        for table, n in re.findall(r"(\S+): (\d+) changelog records read in recovery", restarted)
    }
    for table, records in ends_before.items():
        assert records > 0 and read[table] <= PARTITIONS, (table, read[table], records)

    # The same application once more, as a producer retrying it would: the restored tables know it.
    desk.send_raw(record.topic, record.value, key=record.key, headers=record.headers)
    ends = log_ends(settings, record.topic)
    deadline = time.monotonic() + 60
    while committed(settings, "onething", record.topic) != ends and time.monotonic() < deadline:
        time.sleep(0.5)
    assert committed(settings, "onething", record.topic) == ends
    events = event_log.events(record.event.case_id)
    assert [e.event_id for e in events if e.type == first.type] == [first.event_id]
    assert outcome(event_log, submit(desk, "快照后餐馆", 90.0).case_id).type == "CaseCompleted"


def saved_snapshot(settings, table: str) -> dict:
    """What the worker saved for ``table``, read without using it up."""
    saved = settings.state_dir.glob(f"onething/*/worker-*/{table}{SUFFIX}")
    path = max(saved, key=lambda p: p.stat().st_mtime)  # the session worker's, just written
    return marshal.loads(path.read_bytes())


PARTITIONS = 3  # a partition's last record may be read again: faust starts at the saved offset
CHANGELOGS = {
    "cases": "onething-cases-changelog",
    "tracker-processed": "onething-tracker-processed-changelog",
}
