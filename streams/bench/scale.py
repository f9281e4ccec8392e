"""Throughput as workers are added: 1, 2, 3 `onething run` processes in one consumer group.

The workers share the input topic's partitions (three by default, so three workers is the most
that can help); the rate is taken over the outputs as in the one-hop measurement.
"""

from __future__ import annotations

import time
import uuid

from streams.bench.cluster import BenchCluster
from streams.bench.hop import DEPARTMENT, _rate_through, applications, hop_outputs

SETTLE_SECONDS = 10.0


def rate_with_workers(cluster: BenchCluster, workers: int, *, events: int, timeout: float = 600) -> float:
    app_id = f"bench-scale-{uuid.uuid4().hex[:8]}"
    started = [
        cluster.worker("--departments", DEPARTMENT, "--no-tracker", app_id=app_id, name=f"scale-{n}")
        for n in range(workers)
    ]
    # Each new member makes the group rebalance; let the last rebalance settle before measuring.
    time.sleep(SETTLE_SECONDS if workers > 1 else 0)
    try:
        rate, _ = _rate_through(
            cluster, hop_outputs(cluster), applications(cluster, events, seed=20 + workers), timeout
        )
        return rate
    finally:
        for worker in started:
            worker.stop()


def throughput_curve(cluster: BenchCluster, *, events: int, most: int = 3) -> dict[int, float]:
    return {n: rate_with_workers(cluster, n, events=events) for n in range(1, most + 1)}
