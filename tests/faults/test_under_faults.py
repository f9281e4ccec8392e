"""Five hundred cases in flight while the platform is hurt; afterwards the books must balance.

After each fault: every record every agent read was processed or dead-lettered (tests.faults.ledger),
every case ended, and no outcome was issued twice.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable

import pytest

from streams.wire import frame
from streams.worker_process import WorkerProcess
from tests.faults.ledger import agent_topics, audit
from tests.integration import conftest as shared
from tests.integration.test_restaurant_flow import submit

pytestmark = pytest.mark.faults

IN_FLIGHT = int(os.environ.get("ONETHING_FAULT_CASES", "500"))
OUTCOMES = ("CaseCompleted", "CaseRejected")


def ended(event_log, case_ids: list[str]) -> int:
    return sum(1 for c in case_ids if any(e.type in OUTCOMES for e in event_log.events(c)))


def balanced_books(connection, timeout: float = 120):
    """The audit once every read record is accounted for (the last may still be in hand)."""
    deadline = time.monotonic() + timeout
    books = audit(connection)
    while books.lost and time.monotonic() < deadline:
        time.sleep(2)
        books = audit(connection)
    return books


def run_through(fault: Callable[[], None], *, desk, event_log, connection, label: str) -> None:
    cases = [
        submit(desk, f"{label}{i}", random.choice([90.0, 150.0, 420.0])).case_id for i in range(IN_FLIGHT)
    ]
    # Hurt it mid-stream: some cases done, most in flight.
    assert event_log.wait_until(lambda: ended(event_log, cases) >= 25, 300)
    fault()
    assert event_log.wait_until(lambda: ended(event_log, cases) == len(cases), 600), (
        f"{len(cases) - ended(event_log, cases)} of {len(cases)} cases never ended"
    )
    books = balanced_books(connection)
    assert books.lost == [], books.lost[:20]
    assert books.repeated == [], books.repeated[:20]


def test_a_worker_killed_mid_stream(desk, event_log, connection, worker):
    def kill_and_restart() -> None:
        worker.kill()  # SIGKILL: nothing committed on the way out
        worker.start()
        worker.wait_ready()

    run_through(kill_and_restart, desk=desk, event_log=event_log, connection=connection, label="断电餐馆")


def test_the_broker_restarted_mid_stream(desk, event_log, connection, worker, broker):
    def restart_broker() -> None:
        broker.stop()
        broker.start()

    run_through(restart_broker, desk=desk, event_log=event_log, connection=connection, label="重启餐馆")


def test_a_second_worker_joins_and_leaves(desk, event_log, connection, worker, settings):
    env = {
        **shared.worker_env(settings),
        "ONETHING_METRICS_PORT": str(shared.free_port()),
        "ONETHING_DASHBOARD_PORT": "0",
    }
    second = WorkerProcess(log_path=settings.home / "second-worker.log", env=env)

    def join_then_leave() -> None:
        second.start()
        second.wait_ready()
        time.sleep(5)  # both share the partitions for a while
        second.stop()

    try:
        run_through(join_then_leave, desk=desk, event_log=event_log, connection=connection, label="扩容餐馆")
    finally:
        second.stop()


def test_the_registry_killed_and_restarted(desk, event_log, connection, worker, registry):
    def restart_registry() -> None:
        registry.kill()
        time.sleep(3)
        registry.start()

    run_through(restart_registry, desk=desk, event_log=event_log, connection=connection, label="注册中心餐馆")


def test_poison_on_every_input_topic_is_dead_lettered_and_nothing_else_is_lost(desk, event_log, connection):
    codec = connection.codec
    good = submit(desk, "毒药对照餐馆", 120.0)
    application = event_log.wait_for(good.case_id, "RestaurantApplicationSubmitted", 60)
    assert application is not None
    valid = codec.encode(
        "gov.service_center.RestaurantApplicationSubmitted",
        {"envelope": application.envelope, "payload": application.payload},
    )
    topics = sorted(set().union(*agent_topics(connection).values()))
    rng = random.Random(7)
    poison = {
        "random bytes": lambda: rng.randbytes(rng.randint(0, 64)),
        "truncated Avro": lambda: valid[: len(valid) // 2],
        "unknown schema id": lambda: frame(1_999_999_999, valid[5:]),
        "another record type": lambda: valid,
    }
    sent = 0
    for topic in topics:
        for kind, make in poison.items():
            if kind == "another record type" and topic == application.topic:
                continue
            desk.send_raw(topic, make(), key=good.case_id.encode())
            sent += 1
    # One record at the size limit, too large to copy into a dead letter.
    desk.send_raw(topics[0], b"\x00" * 1_040_000, key=b"at-the-limit")
    books = balanced_books(connection, timeout=300)
    assert books.lost == [], books.lost[:20]
    assert len(books.dead_letters) >= sent
    # The poison around it did not stop the case it was keyed to.
    assert ended(event_log, [good.case_id]) == 1
