"""How long a worker takes to come back after many finished cases, against after a few.

One worker (every department and the tracker, a consumer group of its own) finishes ``small``
restaurant cases and is restarted (SIGTERM, then `onething run` again until faust says ready)
RESTARTS times; then it finishes cases up to ``large`` and is restarted as often again. State that
a start must read in full (a changelog replayed, a snapshot loaded) shows as a ratio above one.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass

from streams.bench import kafka_io
from streams.bench.cluster import BenchCluster
from streams.bench.cpu import CpuMeter, cpu_seconds
from streams.bench.figures import Figure, Target
from streams.bench.hop import applications
from streams.tracker import CASE_OUTCOMES
from streams.worker_process import WorkerProcess

# "No more than after 1,000", with room for the noise of a shared 2-core machine.
TARGET = Target("<=", 1.1)
# Restarts timed at each scale; the median is the figure. One start alone moved by a second from
# run to run here, as much as the difference measured.
RESTARTS = 3


def finish_cases(cluster: BenchCluster, count: int, *, seed: int, timeout: float) -> int:
    """Publish ``count`` restaurant applications at once and wait for each case's outcome."""
    bootstrap = cluster.settings.bootstrap_servers
    outcomes = kafka_io.end_offsets(bootstrap, [cluster.connection.catalog[o].topic for o in CASE_OUTCOMES])
    records = applications(cluster, count, seed=seed)
    keys = {key for _, key, _ in records}

    async def go() -> int:
        await kafka_io.produce(bootstrap, records)
        seen = await kafka_io.collect(bootstrap, outcomes, count=count, timeout=timeout, keys=keys)
        return len({s.key for s in seen} & keys)

    done = asyncio.run(go())
    if done < count:
        raise RuntimeError(f"only {done} of {count} cases ended within {timeout:.0f} s")
    return done


@dataclass(frozen=True)
class Restart:
    seconds: float  # start to ready, wall clock
    worker_cpu: float | None  # CPU the worker used to get there
    broker_cpu: float | None  # CPU the local broker used meanwhile (None with a given broker)


def timed_restart(worker: WorkerProcess, *, broker_pid: int | None, timeout: float) -> Restart:
    worker.stop()
    broker = CpuMeter(broker_pid)
    started = time.monotonic()
    worker.start()
    worker.wait_ready(timeout=timeout)
    seconds = time.monotonic() - started
    return Restart(seconds, cpu_seconds(worker.pid), broker.used())


def timed_restarts(worker: WorkerProcess, *, broker_pid: int | None, timeout: float) -> list[Restart]:
    return [timed_restart(worker, broker_pid=broker_pid, timeout=timeout) for _ in range(RESTARTS)]


def _rounded(values: list[float | None]) -> list[float | None]:
    return [None if v is None else round(v, 2) for v in values]


def measure_restart(cluster: BenchCluster, *, small: int, large: int, timeout: float = 3600) -> Figure:
    if not 0 < small < large:
        raise ValueError(f"restart scale must be 0 < small < large, not {small} and {large}")
    worker = cluster.worker(app_id=f"bench-restart-{uuid.uuid4().hex[:8]}", name="restart")
    broker_pid = cluster.broker.status().pid if cluster.broker is not None else None
    started = time.monotonic()
    finish_cases(cluster, small, seed=101, timeout=timeout)
    after_small = timed_restarts(worker, broker_pid=broker_pid, timeout=timeout)
    filled = time.monotonic()
    finish_cases(cluster, large - small, seed=102, timeout=timeout)
    cases_per_s = (large - small) / (time.monotonic() - filled)
    after_large = timed_restarts(worker, broker_pid=broker_pid, timeout=timeout)
    worker.stop()
    return Figure(
        "restart_seconds",
        statistics.median(r.seconds for r in after_large),
        statistics.median(r.seconds for r in after_small),
        TARGET,
        unit=f"seconds from start to ready after {large:,} finished cases (median of {RESTARTS})",
        baseline_is=f"the same worker's restarts after {small:,} finished cases",
        details={
            "large_cases": large,
            "small_cases": small,
            "restarts_large": _rounded([r.seconds for r in after_large]),
            "restarts_small": _rounded([r.seconds for r in after_small]),
            # Where a start's time went: the worker's own CPU, and the broker's beside it.
            "worker_cpu_large": _rounded([r.worker_cpu for r in after_large]),
            "worker_cpu_small": _rounded([r.worker_cpu for r in after_small]),
            "broker_cpu_large": _rounded([r.broker_cpu for r in after_large]),
            "broker_cpu_small": _rounded([r.broker_cpu for r in after_small]),
            "fill_cases_per_s": cases_per_s,
            "seconds": time.monotonic() - started,
        },
    )
