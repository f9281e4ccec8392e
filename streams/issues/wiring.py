"""Wires the enterprise issue loop into a worker: pool, issue agent and watchdog.

    IssueRaised, IssueClosed ──(re-keyed by USCC)──▶ issue_pool ──▶ IssueAccepted | IssueMerged
    every input event (keyed by issue id) ──▶ issue_loop (IssueMachine, table "issues") ──▶ decisions
    timer over the local partitions of "issues" ──▶ issue_watchdog ──▶ IssueOverdue | IssueStuck

The pool must see all of one enterprise's reports together, but issue topics are keyed by issue
id; so a router agent re-publishes those two events to an internal topic keyed by the subject
(the USCC), and the pool's table is partitioned like that topic.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import faust

from streams.clock import Clock
from streams.events import Event
from streams.intake import Expectation
from streams.issues import model as m
from streams.issues import pool, prometheus
from streams.issues.deadlines import DeadlineBook, load_book
from streams.issues.machine import INPUTS, IssueMachine
from streams.issues.watchdog import alarms
from streams.publisher import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    TRACEPARENT_HEADER,
    OutgoingRecord,
    Publisher,
)
from streams.security import kafka_options
from streams.step import Step
from streams.topics import TopicSpec, provision

if TYPE_CHECKING:
    from streams.runtime import Worker

log = logging.getLogger(__name__)

WATCHDOG_ENV = "ONETHING_ISSUE_WATCHDOG_SECONDS"
# The re-keyed copies are only a way to the pool; the event topics keep the originals for ever.
BY_ENTERPRISE_CONFIG = {"retention.ms": str(7 * 24 * 3600 * 1000), "cleanup.policy": "delete"}


def watchdog_interval(clock: Clock) -> float:
    """Real seconds between checks: a platform hour, kept between 0.25 s and a minute."""
    configured = os.environ.get(WATCHDOG_ENV)
    if configured:
        return float(configured)
    return min(60.0, max(0.25, clock.real_seconds(3600)))


def by_enterprise_topic(app_id: str) -> str:
    return f"{app_id}-issues-by-enterprise"


def add_issue_loop(worker: Worker, *, book: DeadlineBook | None = None) -> None:
    """Add the pool, the issue agent and the watchdog to ``worker``."""
    from streams.runtime import TABLE_SCHEMA  # runtime imports this module: import it late

    book = book or load_book()
    app, connection = worker.app, worker.connection
    catalog, codec, settings = connection.catalog, connection.codec, connection.settings

    def publisher(producer: str) -> Publisher:
        return Publisher(catalog, codec, producer=producer, version=m.LOOP_VERSION, clock=worker.clock)

    # 1. Re-key intake and closure by enterprise, for the pool.
    rekeyed = by_enterprise_topic(app.conf.id)
    provision(
        settings.bootstrap_servers,
        [TopicSpec(name=rekeyed, partitions=settings.partitions, config=dict(BY_ENTERPRISE_CONFIG))],
        **kafka_options(settings),
    )

    async def route_to_pool(event: Event) -> Step:
        contract = catalog[event.type]
        value = codec.encode(contract.full_name, {"envelope": event.envelope, "payload": event.payload})
        headers = [
            (EVENT_TYPE_HEADER, contract.full_name.encode()),
            (EVENT_ID_HEADER, event.event_id.encode()),
            (TRACEPARENT_HEADER, event.envelope["trace"].encode()),
        ]
        return Step([OutgoingRecord(rekeyed, event.subject.encode(), value, headers, event)])

    worker.add_agent(m.POOL_ROUTER, [catalog[m.RAISED].topic, catalog[m.CLOSED].topic], route_to_pool)
    # The copies are keyed by the enterprise, not the issue.
    by_enterprise = Expectation(
        {rekeyed: frozenset({catalog[m.RAISED].full_name, catalog[m.CLOSED].full_name})},
        key_of=lambda event: event.subject,
    )

    # 2. The pool: accept or merge each report.
    pools = app.Table("issue-pool", schema=TABLE_SCHEMA)
    pool_publisher = publisher(m.POOL)

    async def handle_report(event: Event) -> Step:
        state, outputs = pool.apply(pools.get(event.subject), event)
        step = Step(
            [
                pool_publisher.build(new, cause=event, case_id=issue_id, index=index)
                for index, (new, issue_id) in enumerate(outputs)
            ]
        )
        step.write(pools, event.subject, state)
        return step

    worker.add_agent(m.POOL, [rekeyed], handle_report, expect=by_enterprise)

    # 3. The issue agent: the state machine over a table keyed by issue id.
    issues = app.Table("issues", schema=TABLE_SCHEMA)
    machine = IssueMachine(book)
    loop_publisher = publisher(m.LOOP)

    async def handle_issue(event: Event) -> Step:
        state, outputs = machine.apply(issues.get(event.case_id), event)
        step = Step(
            [loop_publisher.build(new, cause=event, index=index) for index, new in enumerate(outputs)]
        )
        if state is not None:  # closed or merged: kept for the retention
            step.write(issues, event.case_id, state, finished=state["status"] in m.FINAL_STATUSES)
        prometheus.observe(event, state, outputs)
        return step

    worker.add_agent(m.LOOP, sorted(catalog[t].topic for t in INPUTS), handle_issue)
    worker.add_purge(issues)

    # 4. The watchdog: a timer may not write the table, so it publishes what the issue agent folds in.
    watchdog_publisher = publisher(m.WATCHDOG)
    topics: dict[str, faust.TopicT] = {}
    reported: set[str] = set()  # alarms published and not yet folded in: bounded by those pending

    @app.timer(interval=watchdog_interval(worker.clock), name="onething.issue_watchdog")
    async def watch_issues() -> None:
        if app.rebalancing or app.in_recovery:
            return  # a half-recovered table would look late
        now = worker.clock.millis()
        states = list(issues.items())
        pending: set[str] = set()
        for issue_id, state in states:
            if state["status"] in m.FINAL_STATUSES:
                continue  # no deadline runs on a closed issue
            for alarm in alarms(state, now, book):
                record = watchdog_publisher.build(
                    alarm.event, cause=alarm.cause, case_id=issue_id, index=alarm.index
                )
                pending.add(record.event.event_id)
                if record.event.event_id in reported:
                    continue  # published on an earlier tick; the agent has not folded it in yet
                if record.topic not in topics:
                    topics[record.topic] = app.topic(
                        record.topic, key_serializer="raw", value_serializer="raw"
                    )
                await topics[record.topic].send(key=record.key, value=record.value, headers=record.headers)
                reported.add(record.event.event_id)
                log.info("issue %s: %s %s", issue_id, record.event.type, alarm.event.payload["stage"])
        reported.intersection_update(pending)  # folded in: the state no longer asks for them
        prometheus.set_open(state for _, state in states)
