"""Processed ids and closed cases leave the worker's state after the retention; open cases stay."""

from __future__ import annotations

import json
import time

from kafka import KafkaConsumer

from streams.lag import caught_up_within
from tests.integration.conftest import worker_instead
from tests.integration.test_restaurant_flow import outcome, submit

# About two seconds of retention, purged every second.
SHORT_RETENTION = {"ONETHING_RETENTION_HOURS": str(2 / 3600), "ONETHING_PURGE_SECONDS": "1"}


def changelog(settings, topic: str) -> dict[str, object]:
    """The latest value per key of a table's changelog (None: a tombstone)."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
    )
    try:
        return {json.loads(m.key): json.loads(m.value) if m.value else None for m in consumer}
    finally:
        consumer.close()


def test_finished_work_leaves_the_state_after_the_retention(desk, event_log, settings, worker):
    with worker_instead(worker, settings, log_name="retention-worker.log", env=SHORT_RETENTION):
        done = submit(desk, "保留期餐馆", 120.0)
        assert outcome(event_log, done.case_id).type == "CaseCompleted"
        ids = [e.event_id for e in event_log.events(done.case_id)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            cases = changelog(settings, "onething-cases-changelog")
            processed = changelog(settings, "onething-tracker-processed-changelog")
            if done.case_id in cases and cases[done.case_id] is None:
                break
            time.sleep(1)
        # The closed case and the ids the tracker processed for it are tombstoned in the changelogs,
        # so neither this worker nor one recovering its partitions keeps them.
        assert cases[done.case_id] is None
        tracked = [i for i in ids if i in processed]
        assert tracked and all(processed[i] is None for i in tracked)


def test_a_case_outcome_costs_the_bundle_tracker_no_processed_id(
    desk, event_log, settings, worker, connection
):
    """Every case's outcome passes the bundle tracker, bundled or not; re-keying it to a bundle
    publishes under an id derived from it, so no processed id (a changelog write) is kept for it."""
    done = submit(desk, "无套餐餐馆", 120.0)
    completed = outcome(event_log, done.case_id)
    assert completed.type == "CaseCompleted"
    topic = connection.catalog["CaseCompleted"].topic
    assert caught_up_within(settings.bootstrap_servers, "onething", [topic], 60) is not None
    for agent in ("bundles", "bundle_members"):
        assert completed.event_id not in changelog(settings, f"onething-{agent}-processed-changelog")
    # The tracker, whose outcome it is, did keep the ids of what it handled: the check can see one.
    handled = changelog(settings, "onething-tracker-processed-changelog")
    assert any(e.event_id in handled for e in event_log.events(done.case_id))
