"""Events per second through one department hop: the real runtime against a raw aiokafka loop.

The hop is market_regulation's business licence: a restaurant application in, a licence out.
Each side runs as its own process, ready before the applications are produced; its rate is taken
from the timestamps of its first and last output, so start-up does not count.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random

from streams.bench import kafka_io
from streams.bench.cluster import BenchCluster
from streams.bench.cpu import CpuMeter
from streams.bench.figures import Figure, Target
from streams.bench.raw_hop import READY, SOURCE, TARGET
from streams.bench.restaurant import application
from streams.department import REJECTED
from streams.events import NewEvent
from streams.publisher import Publisher
from streams.service_desk import DESK, new_case_id

TARGET_RATIO = Target(">=", 0.5)
DEPARTMENT = "market_regulation"
RAW_OUTPUT_TOPIC = "onething-bench.raw-hop.out"
FLOOR_OUTPUT_TOPIC = "onething-bench.floor-hop.out"


def applications(cluster: BenchCluster, count: int, *, seed: int = 7) -> list[tuple[str, bytes, bytes]]:
    """``count`` restaurant applications as (topic, key, value), pre-encoded."""
    connection = cluster.connection
    publisher = Publisher(connection.catalog, connection.codec, producer=DESK, version="bench")
    rng = Random(seed)
    records = []
    for _ in range(count):
        payload, subject = application(rng)
        new = NewEvent("RestaurantApplicationSubmitted", payload, subject)
        built = publisher.build(new, cause=None, case_id=new_case_id("BENCH"))
        records.append((built.topic, built.key, built.value))
    return records


def _rate_through(
    cluster: BenchCluster, output_topics: list[str], records: list, timeout: float
) -> tuple[float, int]:
    """Produce ``records`` and read the hop's outputs; (events/s, outputs seen)."""
    bootstrap = cluster.settings.bootstrap_servers

    start = kafka_io.end_offsets(bootstrap, output_topics)

    async def go() -> list[kafka_io.Seen]:
        await kafka_io.produce(bootstrap, records)
        return await kafka_io.collect(bootstrap, start, count=len(records), timeout=timeout)

    seen = asyncio.run(go())
    if len(seen) < len(records):
        raise RuntimeError(
            f"only {len(seen)} of {len(records)} hop outputs on {', '.join(output_topics)} in {timeout:.0f} s"
        )
    return kafka_io.span_rate(seen) or 0.0, len(seen)


def hop_outputs(cluster: BenchCluster) -> list[str]:
    """Where the department answers an application: a licence, or a rejection (materials short)."""
    catalog = cluster.connection.catalog
    return [catalog[TARGET].topic, catalog[REJECTED].topic]


def platform_rate(cluster: BenchCluster, events: int, *, timeout: float, profile: Path | None = None) -> Side:
    """The worker's rate; with ``profile``, py-spy samples the worker meanwhile into that file."""
    app_id = f"bench-hop-{uuid.uuid4().hex[:8]}"
    worker = cluster.worker("--departments", DEPARTMENT, "--no-tracker", app_id=app_id)
    records = applications(cluster, events)
    try:
        with sampling(worker.pid, profile):
            return _side(cluster, worker.pid, hop_outputs(cluster), records, timeout)
    finally:
        worker.stop()


def floor_rate(cluster: BenchCluster, events: int, *, timeout: float) -> Side:
    """The runtime's ceiling: a worker forwarding each application untouched
    (streams/bench/runtime_floor.py)."""
    kafka_io.ensure_topic(
        cluster.settings.bootstrap_servers, FLOOR_OUTPUT_TOPIC, partitions=cluster.settings.partitions
    )
    source = cluster.connection.catalog[SOURCE].topic
    worker = cluster.worker(
        "--source", source,
        "--target", FLOOR_OUTPUT_TOPIC,
        app_id=f"bench-floor-{uuid.uuid4().hex[:8]}",
        command=("-m", "streams.bench.runtime_floor"),
    )  # fmt: skip
    records = applications(cluster, events, seed=9)
    try:
        return _side(cluster, worker.pid, [FLOOR_OUTPUT_TOPIC], records, timeout)
    finally:
        worker.stop()


@contextlib.contextmanager
def sampling(pid: int | None, output: Path | None) -> Iterator[None]:
    """py-spy (the ``bench`` extra) recording ``pid`` as flame-graph text while the block runs."""
    if output is None or pid is None:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    recorder = subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(output), "--rate", "200"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            recorder.wait(30)
        except subprocess.TimeoutExpired:
            recorder.kill()


@dataclass(frozen=True, slots=True)
class Side:
    """One side's run: its rate, and the CPU its process used while the records went through."""

    events_per_s: float
    cpu_seconds: float | None
    events: int

    @property
    def cpu_ms_per_event(self) -> float | None:
        return None if self.cpu_seconds is None else round(self.cpu_seconds * 1000 / self.events, 3)


def _side(cluster: BenchCluster, pid: int | None, outputs: list[str], records: list, timeout: float) -> Side:
    """Run ``records`` through the process ``pid``, timing it by its outputs, counting its CPU."""
    meter = CpuMeter(pid)
    rate, _ = _rate_through(cluster, outputs, records, timeout)
    return Side(rate, meter.used(), len(records))


def raw_rate(cluster: BenchCluster, events: int, *, timeout: float) -> Side:
    bootstrap = cluster.settings.bootstrap_servers
    catalog = cluster.connection.catalog
    kafka_io.ensure_topic(bootstrap, RAW_OUTPUT_TOPIC, partitions=cluster.settings.partitions)
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streams.bench.raw_hop",
            "--bootstrap", bootstrap,
            "--source", catalog[SOURCE].topic,
            "--target", RAW_OUTPUT_TOPIC,
            "--group", f"bench-raw-hop-{uuid.uuid4().hex[:8]}",
            "--schema-id", str(cluster.connection.codec.schema_id(TARGET)),
            "--partitions", str(cluster.settings.partitions),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = process.stdout.readline() if process.stdout else ""
        if READY not in line:
            raise RuntimeError("the raw hop loop did not start")
        side = _side(cluster, process.pid, [RAW_OUTPUT_TOPIC], applications(cluster, events, seed=8), timeout)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    return side


def measure_hop(
    cluster: BenchCluster, *, events: int, timeout: float = 600, profile: Path | None = None
) -> Figure:
    """The figure from unprofiled runs; with ``profile``, one more platform run under py-spy
    (sampling slows the worker, so its rate is reported apart and never as the figure)."""
    started = time.monotonic()
    ours = platform_rate(cluster, events, timeout=timeout)
    theirs = raw_rate(cluster, events, timeout=timeout)
    floor = floor_rate(cluster, events, timeout=timeout)
    details: dict[str, float | int | str] = {"events": events}
    # What the hop could reach if handling cost nothing: faust's own path for a record.
    details["runtime_floor_events_per_s"] = round(floor.events_per_s, 1)
    if theirs.events_per_s:
        details["runtime_floor_ratio_vs_raw"] = round(floor.events_per_s / theirs.events_per_s, 3)
    # CPU per event says whether a side was bound by its own work or waited on the broker.
    for name, side in (("worker", ours), ("raw", theirs), ("runtime_floor", floor)):
        if side.cpu_ms_per_event is not None:
            details[f"{name}_cpu_ms_per_event"] = side.cpu_ms_per_event
    if profile is not None:
        profiled = platform_rate(cluster, events, timeout=timeout, profile=profile)
        details["profiled_events_per_s"] = profiled.events_per_s
        details["profile"] = str(profile)
    details["seconds"] = time.monotonic() - started
    return Figure(
        "hop_ratio_vs_raw",
        ours.events_per_s,
        theirs.events_per_s,
        TARGET_RATIO,
        unit="events/s through market_regulation's licence matter (one worker process)",
        baseline_is="a plain aiokafka loop: decode, build the licence, encode, produce (acks=all), commit",
        details=details,
    )
