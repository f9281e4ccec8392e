"""开办餐饮店 end to end: from the application to CaseCompleted, at a sustained rate.

Applications are the flow's own samples, so about one in five ends in CaseRejected: those count
as ended (a sustained rate must end every case) but not in the latency, which is to completion.

Applications are published at a steady rate (each built when it is sent, so its time is the
submission time); CaseCompleted records are read as they come. A rate is *sustained* when every
case completes within the grace period and the queue does not grow: the last quarter of cases
waits no more than twice as long as the first tenth (plus a little for noise). Before the next
rate, the worker works off everything the last one left, not only the cases: an agent off the
critical path (the case index, the bundle tracker) still behind would make the next rate's cases
wait for it from their first second, and a queue that long from the start no longer grows.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.bench import kafka_io
from streams.bench.cluster import BenchCluster
from streams.bench.cpu import CpuMeter
from streams.bench.figures import Figure, Target, percentile
from streams.bench.restaurant import application
from streams.events import NewEvent
from streams.lag import caught_up_within
from streams.publisher import Publisher
from streams.service_desk import DESK, new_case_id
from streams.tracker import CASE_COMPLETED, CASE_OUTCOMES

APPLICATION = "RestaurantApplicationSubmitted"

TARGET_RATE = 200.0
LATENCY_TARGET = Target("<", 250, on="value")
SUSTAINED_TARGET = Target(">=", TARGET_RATE, on="value")
# Queue growth allowance: last-quarter median may exceed twice the first tenth's by this much.
NOISE_MS = 50.0
WARM_UP_RATE, WARM_UP_SECONDS = 20.0, 3.0
# The restaurant flow's critical path in hops: application → licence → permits → CaseCompleted.
CRITICAL_PATH_HOPS = 3


@dataclass(frozen=True)
class RateRun:
    rate: float
    submitted: int
    latencies_ms: list[float]  # completed cases, in submission order
    # Cases that ended within the grace period, rejected ones included (None: as many as completed).
    ended: int | None = None
    # The worker's CPU over the run and its drain, per case submitted (None: not measured).
    cpu_ms_per_case: float | None = None
    # Whether the worker then caught up on every topic within the drain timeout (None: not asked).
    caught_up: bool | None = None

    @property
    def completed(self) -> int:
        return len(self.latencies_ms)

    @property
    def sustained(self) -> bool:
        ended = self.completed if self.ended is None else self.ended
        return ended == self.submitted and keeps_pace(self.latencies_ms)

    def summary(self) -> dict[str, float | int | bool | None]:
        have = bool(self.latencies_ms)
        return {
            "rate_cases_per_s": self.rate,
            "submitted": self.submitted,
            "completed": self.completed,
            "rejected": (self.ended - self.completed) if self.ended is not None else 0,
            "p50_ms": percentile(self.latencies_ms, 0.5) if have else None,
            "p99_ms": percentile(self.latencies_ms, 0.99) if have else None,
            "sustained": self.sustained,
            "worker_cpu_ms_per_case": self.cpu_ms_per_case,
            "worker_caught_up": self.caught_up,
        }


def keeps_pace(latencies_in_order: Sequence[float]) -> bool:
    """Whether waiting stayed flat over the run (a growing queue makes later cases wait longer).

    The last quarter is held against the first tenth: a worker that falls behind in the first
    seconds and then keeps a long queue at the same length waits long already in the first
    quarter, and against it looked flat (150/s "sustained" with every case waiting 13 s).
    """
    if len(latencies_in_order) < 10:
        return bool(latencies_in_order)
    tenth, quarter = len(latencies_in_order) // 10, len(latencies_in_order) // 4
    first = percentile(latencies_in_order[:tenth], 0.5)
    last = percentile(latencies_in_order[-quarter:], 0.5)
    return last <= 2 * first + NOISE_MS


async def _run_at(
    cluster: BenchCluster, rate: float, seconds: float, grace: float, drain_timeout: float
) -> tuple[int, list[float], int]:
    """(cases submitted, latencies of those completed in the grace period, cases ended in it)."""
    connection = cluster.connection
    bootstrap = connection.settings.bootstrap_servers
    publisher = Publisher(connection.catalog, connection.codec, producer=DESK, version="bench")
    outcomes = kafka_io.end_offsets(bootstrap, [connection.catalog[o].topic for o in CASE_OUTCOMES])
    completed_topic = connection.catalog[CASE_COMPLETED].topic
    rng = Random(int(rate))
    count = max(1, int(rate * seconds))
    submitted: dict[bytes, float] = {}
    completed: dict[bytes, float] = {}
    ended: set[bytes] = set()
    done = asyncio.Event()

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=1)
    await consumer.start()
    await producer.start()

    async def collect() -> None:
        consumer.assign(list(outcomes))
        for tp, offset in outcomes.items():
            consumer.seek(tp, offset)
        while not done.is_set():
            batches = await consumer.getmany(timeout_ms=100)
            for records in batches.values():
                for record in records:
                    if record.key in submitted:
                        ended.add(record.key)
                        if record.topic == completed_topic:
                            completed.setdefault(record.key, record.timestamp)

    collector = asyncio.create_task(collect())
    try:
        started = time.monotonic()
        futures = []
        for number in range(count):
            pause = started + number / rate - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            payload, subject = application(rng)
            new = NewEvent(APPLICATION, payload, subject)
            record = publisher.build(new, cause=None, case_id=new_case_id("BENCH"))
            submitted[record.key] = record.event.envelope["occurred_at"]
            futures.append(await producer.send(record.topic, record.value, key=record.key))
        await asyncio.gather(*futures)
        deadline = time.monotonic() + grace
        while len(ended) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        in_grace, ended_in_grace = dict(completed), len(ended)
        # A worker that fell behind finishes its backlog before the next rate is measured.
        deadline = time.monotonic() + drain_timeout
        while len(ended) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
    finally:
        done.set()
        await collector
        await producer.stop()
        await consumer.stop()
    latencies = [in_grace[key] - at for key, at in submitted.items() if key in in_grace]
    return count, latencies, ended_in_grace


def run_at(
    cluster: BenchCluster,
    rate: float,
    *,
    seconds: float,
    grace: float,
    drain_timeout: float,
    worker_pid: int | None = None,
    group: str | None = None,
) -> RateRun:
    """Applications at ``rate`` for ``seconds``; with ``worker_pid``, that process's CPU per case
    (the worker's CPU is what bounds the rate on a small machine, and is steadier than waits),
    and with ``group`` (the worker's), it includes the worker's catching up on every topic."""
    meter = CpuMeter(worker_pid)
    count, latencies, ended = asyncio.run(_run_at(cluster, rate, seconds, grace, drain_timeout))
    caught_up = None
    if group is not None:
        topics = [contract.topic for contract in cluster.connection.catalog]
        bootstrap = cluster.settings.bootstrap_servers
        caught_up = caught_up_within(bootstrap, group, topics, drain_timeout) is not None
    used = meter.used()
    cpu_ms_per_case = None if used is None else round(used * 1000 / count, 2)
    return RateRun(rate, count, latencies, ended, cpu_ms_per_case, caught_up)


def search_rates(
    cluster: BenchCluster,
    *,
    seconds: float,
    grace: float,
    ladder: Sequence[float],
    drain_timeout: float,
    worker_pid: int | None = None,
    group: str | None = None,
) -> tuple[RateRun, list[RateRun]]:
    """The run at the target rate, and every run of the search for the highest sustained rate.

    From the target rate, up the ladder while sustained, else down it until one is.
    """
    measure = functools.partial(
        run_at,
        cluster,
        seconds=seconds,
        grace=grace,
        drain_timeout=drain_timeout,
        worker_pid=worker_pid,
        group=group,
    )
    target = measure(TARGET_RATE)
    runs = [target]
    going_up = target.sustained
    steps = sorted(
        (r for r in ladder if (r > TARGET_RATE if going_up else r < TARGET_RATE)), reverse=not going_up
    )
    for rate in steps:
        run = measure(rate)
        runs.append(run)
        if run.sustained != going_up:
            break
    return target, runs


def max_sustained(runs: Sequence[RateRun]) -> float:
    return max((r.rate for r in runs if r.sustained), default=0.0)


def raw_round_trip_ms(cluster: BenchCluster, *, samples: int = 200) -> float:
    """p99 of one produce → consume round trip with plain aiokafka on the same broker (acks=all)."""
    return asyncio.run(_round_trips(cluster.settings.bootstrap_servers, samples))


async def _round_trips(bootstrap: str, samples: int) -> float:
    topic = "onething-bench.round-trip"
    kafka_io.ensure_topic(bootstrap, topic, partitions=1)
    start = kafka_io.end_offsets(bootstrap, [topic])
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    try:
        consumer.assign(list(start))
        for tp, offset in start.items():
            consumer.seek(tp, offset)
        trips = []
        for number in range(samples + 10):
            sent = time.perf_counter()
            await producer.send_and_wait(topic, b"%d" % number)
            while not await consumer.getmany(timeout_ms=1000):
                pass
            if number >= 10:  # the first few warm the connections
                trips.append((time.perf_counter() - sent) * 1000)
        return percentile(trips, 0.99)
    finally:
        await producer.stop()
        await consumer.stop()


def latency_figures(
    cluster: BenchCluster,
    *,
    seconds: float,
    grace: float,
    ladder: Sequence[float],
    drain_timeout: float,
    raw_hop_rate: float | None,
    consumptions_per_case: int,
    worker_pid: int | None = None,
    group: str | None = None,
) -> tuple[Figure, Figure]:
    round_trip = raw_round_trip_ms(cluster)
    # A worker just started is slow on its first cases (connections, schema ids, first fetches):
    # a slow start would make any later queue look flat. Warm it up, unmeasured.
    run_at(
        cluster, WARM_UP_RATE, seconds=WARM_UP_SECONDS, grace=grace, drain_timeout=drain_timeout, group=group
    )
    target, runs = search_rates(
        cluster,
        seconds=seconds,
        grace=grace,
        ladder=ladder,
        drain_timeout=drain_timeout,
        worker_pid=worker_pid,
        group=group,
    )
    at_target = target.summary()
    latency = Figure(
        "case_latency_ms",
        at_target["p99_ms"],  # type: ignore[arg-type]
        round_trip * CRITICAL_PATH_HOPS,
        LATENCY_TARGET,
        unit=f"ms from application to CaseCompleted, p99 at {TARGET_RATE:g} applications/s",
        baseline_is=(
            f"{CRITICAL_PATH_HOPS} raw aiokafka produce→consume round trips (p99): the flow's critical path"
        ),
        details={**at_target, "seconds": seconds},
    )
    sustained = Figure(
        "max_sustained_cases_per_s",
        max_sustained(runs),
        raw_hop_rate / consumptions_per_case if raw_hop_rate else None,
        SUSTAINED_TARGET,
        unit="restaurant cases/s completed without a growing queue (one worker)",
        baseline_is=(
            f"the raw hop loop's events/s divided by the {consumptions_per_case} events a restaurant"
            " case has consumed (departments and tracker)"
        ),
        details={"runs": [r.summary() for r in runs]},
    )
    return latency, sustained
