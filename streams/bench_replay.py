"""Benchmark: replaying one case after 500 other cases, then after 50,000, on one broker in one run.

    python -m streams.bench_replay [--small 500] [--large 50000] [--repeat 7]

Starts its own broker, registry and worker (`BenchCluster`: free ports, a temporary home), runs one
restaurant case to completion among ``--small`` other applications, times its replay, adds other
applications up to ``--large``, waits until the worker has indexed them all, and times the replay
of the same case again: through the worker's case index, and by scanning the case's partition of
every topic (what replay does without an index). Prints a Markdown table with the ratios.

The other cases are applications of a flow none of whose departments run here, so they cost the
tracker and the index a record each and need no further work: what matters is how much log the
replay has to look past, not what happened in it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from random import Random

from kafka import KafkaProducer

from streams import discovery
from streams.bench.cluster import bench_cluster
from streams.demo import EVERY_MATERIAL, restaurant_application
from streams.events import NewEvent
from streams.flows import Flow
from streams.lag import caught_up_within
from streams.publisher import Publisher
from streams.replay.chain import build_chain
from streams.replay.reader import LogReader
from streams.service_desk import new_case_id
from streams.simulate import applicant_of
from streams.startup import Connection

TARGET_FLOW = "open_restaurant"
# The worker's consumer group: the case index answers for it, and the bench waits for its commits.
GROUP = "onething"


def departments_of(flow: Flow) -> list[str]:
    matters = {m.key: d.name for d in discovery.departments() for m in d.matters}
    return sorted({matters[step.matter] for step in flow.steps})


def filler_flow(running: list[str]) -> Flow:
    """A flow whose application no running department reacts to."""
    triggers = {
        t for d in discovery.departments() if d.name in running for m in d.matters for t in m.triggers
    }
    for flow in discovery.flows():
        if flow.name != TARGET_FLOW and flow.application not in triggers and flow.sample:
            return flow
    raise RuntimeError("every flow's application triggers a running department")


def publish_others(connection: Connection, flow: Flow, count: int, seed: int) -> None:
    """``count`` applications of ``flow``, as fast as the broker takes them."""
    publisher = Publisher(connection.catalog, connection.codec, producer="service_center", version="bench")
    producer = KafkaProducer(
        bootstrap_servers=connection.settings.bootstrap_servers, acks="all", linger_ms=20, batch_size=256_000
    )
    rng = Random(seed)
    for _ in range(count):
        payload = flow.sample(rng)
        record = publisher.build(
            NewEvent(flow.application, payload, applicant_of(payload)), cause=None, case_id=new_case_id("B")
        )
        producer.send(record.topic, key=record.key, value=record.value, headers=record.headers)
    producer.flush()
    producer.close()


def wait_caught_up(connection: Connection, group: str, timeout: float) -> float:
    """Until the worker's group committed everything in the event topics; returns the seconds waited."""
    topics = [contract.topic for contract in connection.catalog]
    waited = caught_up_within(connection.settings.bootstrap_servers, group, topics, timeout)
    if waited is None:
        raise TimeoutError(f"the worker did not catch up within {timeout:.0f} s")
    return waited


def checkpoints(small: int, large: int) -> list[int]:
    """The first and last sizes, and every tenfold step between them."""
    sizes, size = [small], small * 10
    while size < large:
        sizes.append(size)
        size *= 10
    return [*sizes, large]


def timed(action, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(connection: Connection, case_id: str, repeat: int) -> tuple[float, float, int]:
    """Median seconds to replay the case through the index, and by scanning; the chain's length."""
    events = 0

    def with_index() -> None:
        nonlocal events
        reader = LogReader(connection)
        try:
            chain = build_chain(case_id, reader.case(case_id))
            assert reader.used_index, "the worker's index did not answer"
            events = len(chain.links)
        finally:
            reader.close()

    def scanning() -> None:
        reader = LogReader(connection)
        try:
            build_chain(case_id, reader.scan_case(case_id))
        finally:
            reader.close()

    return timed(with_index, repeat), timed(scanning, max(1, repeat // 2)), events


def run(small: int, large: int, repeat: int, timeout: float) -> int:
    target = next(f for f in discovery.flows() if f.name == TARGET_FLOW)
    running = departments_of(target)
    others = filler_flow(running)
    with bench_cluster() as cluster:
        cluster.worker("--departments", ",".join(running), app_id=GROUP, name="replay")
        connection, settings = cluster.connection, cluster.settings
        print(
            f"worker runs {', '.join(running)}; other cases are {others.name} applications", file=sys.stderr
        )
        publish_others(connection, others, small, seed=1)
        app = restaurant_application("基准餐馆", 350.0, 8, "基准", list(EVERY_MATERIAL))
        publisher = Publisher(
            connection.catalog, connection.codec, producer="service_center", version="bench"
        )
        record = publisher.build(
            NewEvent(target.application, app, app["legal_representative"]),
            cause=None,
            case_id=new_case_id("R"),
        )
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
        producer.send(record.topic, key=record.key, value=record.value, headers=record.headers).get(30)
        producer.close()
        case_id = record.event.case_id
        waited = wait_caught_up(connection, GROUP, timeout)
        time.sleep(3)  # the case's later events: the worker commits every few seconds
        waited += wait_caught_up(connection, GROUP, timeout)
        print(f"{small} other cases indexed in {waited:.0f} s", file=sys.stderr)
        # Each row is printed as soon as it is measured: a long run shows what it has so far.
        print(f"replay of one {TARGET_FLOW} case, median of {repeat} runs; ratios against the first row")
        print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, one local broker\n")
        print(
            "| other cases in the log | events | with the case index | ratio "
            "| scanning the case's partitions | ratio |"
        )
        print("|---:|---:|---:|---:|---:|---:|")
        first: tuple[float, float] | None = None
        in_log, events = small, None
        for checkpoint in checkpoints(small, large):
            if checkpoint > in_log:
                started = time.monotonic()
                publish_others(connection, others, checkpoint - in_log, seed=checkpoint)
                published = time.monotonic() - started
                waited = wait_caught_up(connection, GROUP, timeout)
                in_log = checkpoint
                print(
                    f"{checkpoint:,} in the log: published in {published:.0f} s, indexed in {waited:.0f} s",
                    file=sys.stderr,
                )
            index_s, scan_s, count = measure(connection, case_id, repeat)
            if events is not None and count != events:
                raise RuntimeError(f"the case replayed with {count} events, earlier {events}")
            events = count
            first = first or (index_s, scan_s)
            print(
                f"| {checkpoint:,} | {count} | {index_s * 1000:.0f} ms | {index_s / first[0]:.2f}× "
                f"| {scan_s * 1000:.0f} ms | {scan_s / first[1]:.2f}× |",
                flush=True,
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m streams.bench_replay", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the worker")
    args = parser.parse_args(argv)
    if not 0 < args.small < args.large:
        parser.error("needs 0 < --small < --large")
    return run(args.small, args.large, args.repeat, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
