"""Processed ids and closed cases leave the worker's state after the retention; open cases stay."""

from __future__ import annotations

import json
import time

from kafka import KafkaConsumer

from agents.bundles.restaurant_outlet import bundle, form
from streams import discovery
from streams.bundle_intake import submit_bundle
from streams.issues import simulate_issues
from streams.issues.simulation import ended
from streams.issues.wiring import by_enterprise_topic
from streams.lag import caught_up_within
from streams.service_desk import ServiceDesk
from streams.simulate import pick_flows, submit_cases, wait_for_outcomes
from tests.integration.conftest import fast_clock_worker, worker_instead
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


def test_fired_joins_closed_issues_and_completed_bundles_leave_the_state_after_the_retention(
    connection, event_log, settings, worker
):
    """Joins, issues and bundles were kept for ever. Their finished entries now go after the
    retention, as closed cases do; a join still waiting for a trigger stays."""
    with fast_clock_worker(
        worker, connection, speed=40_000.0, log_name="retention-finished-worker.log", env=SHORT_RETENTION
    ) as (_, fast):
        desk = ServiceDesk(fast)
        try:
            school = pick_flows(discovery.flows(), "school_enrolment")
            enrolments = submit_cases(desk, school, cases=4, seed=3)
            outlet = submit_bundle(desk, bundle, discovery.flows(), form(channel="MOBILE"))
        finally:
            desk.close()
        issue_ids = simulate_issues(fast, count=3, seed=7)
        assert wait_for_outcomes(event_log, enrolments, 120), "the enrolments never ended"
        assert event_log.wait_for(outlet.case_id, "BundleCompleted", 120), "the bundle never completed"
        assert event_log.wait_until(lambda: ended(event_log, issue_ids), 120), "the issues never closed"

        enrolled = {case.application.case_id for case in enrolments}

        def entries(table: str, wanted) -> dict[str, object]:
            return {k: v for k, v in changelog(settings, f"onething-{table}-changelog").items() if wanted(k)}

        def finished_entries_gone() -> dict[str, dict[str, object]] | None:
            tables = {
                "joins": entries("education-joins", lambda k: k.split("/")[0] in enrolled),
                "issues": entries("issues", lambda k: k in issue_ids),
                "bundles": entries("bundles", lambda k: k == outlet.case_id),
            }
            fired = [v for v in tables["joins"].values() if v is not None and v["fired"] is not None]
            gone = all(v is None for name in ("issues", "bundles") for v in tables[name].values())
            return tables if not fired and gone else None

        deadline = time.monotonic() + 60
        while (tables := finished_entries_gone()) is None and time.monotonic() < deadline:
            time.sleep(1)
        assert tables is not None, "finished joins, issues or bundles are still in their tables"
        # Each table did hold them: the tombstones are there, not just nothing.
        assert any(v is None for v in tables["joins"].values())
        assert set(tables["issues"]) == set(issue_ids) and tables["bundles"] == {outlet.case_id: None}
        # Leave nothing uncommitted: the next worker would read it again, and with this worker's
        # processed ids already gone (two seconds), act on it twice, in the log later tests read.
        topics = [c.topic for c in connection.catalog] + [by_enterprise_topic("onething")]
        assert caught_up_within(settings.bootstrap_servers, "onething", topics, 120) is not None
