"""One benchmark run: every figure, in an order that keeps their measurements apart."""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from random import Random
from typing import Any

from streams import discovery
from streams.bench.figures import Figure, Target, not_measured, report
from streams.bench.restaurant import application, restaurant_flow
from streams.flows import FlowMap
from streams.tracker import CaseTracker

# Every figure's target, as its measurement declares it (for a measurement that failed).
TARGETS: dict[str, Target] = {
    "codec_speedup_vs_avro": Target(">=", 8),
    "tracker_bytes_per_open_case": Target("<=", 1024, on="value"),
    "hop_ratio_vs_raw": Target(">=", 0.5),
    "case_latency_ms": Target("<", 250, on="value"),
    "max_sustained_cases_per_s": Target(">=", 200, on="value"),
    "restart_seconds": Target("<=", 1.1),
    "replay_ratio_vs_raw": Target(">=", 0.5),
}
FIGURES = ("codec", "tracker", "hop", "latency", "restart", "replay")
# Measured only when asked for (`--only scale`): the hop's throughput with 1, 2 and 3 workers.
CHOICES = (*FIGURES, "scale")
LATENCY_GROUP = "bench-cases"  # the consumer group of the latency runs' worker


@dataclass(frozen=True, kw_only=True)
class Scale:
    """How much each measurement does; `--quick` scales everything down and says so."""

    quick: bool
    codec_events: int
    tracker_cases: int
    hop_events: int
    latency_seconds: float
    latency_grace: float
    rate_ladder: tuple[float, ...]
    drain_seconds: float
    restart_small: int
    restart_large: int


FULL = Scale(
    quick=False,
    codec_events=10_000,
    tracker_cases=100_000,
    hop_events=20_000,
    latency_seconds=30,
    latency_grace=60,
    rate_ladder=(10, 25, 50, 100, 150, 200, 300, 400),
    drain_seconds=600,
    restart_small=1_000,
    restart_large=100_000,
)
QUICK = Scale(
    quick=True,
    codec_events=2_000,
    tracker_cases=20_000,
    hop_events=2_000,
    latency_seconds=5,
    latency_grace=20,
    rate_ladder=(25, 50, 100, 200, 300),
    drain_seconds=60,
    restart_small=100,
    restart_large=1_000,
)


def scale_for(*, quick: bool, **overrides: Any) -> Scale:
    return replace(QUICK if quick else FULL, **{k: v for k, v in overrides.items() if v is not None})


def consumptions_per_case() -> int:
    """How many times a typical completed restaurant case's events are consumed: by each department
    a matter of which they trigger, and by the tracker."""
    flows = discovery.flows()
    departments = discovery.departments()
    flow_map = FlowMap(flows, departments)
    flow = flow_map.flows[restaurant_flow().name]
    payload, _ = application(Random(1))
    events = [flow.application] + [
        flow_map.matters[key].done for key in flow_map.required_matters(flow, payload)
    ]
    tracked = CaseTracker(flow_map, publisher=None).event_types  # type: ignore[arg-type]
    consumed = 0
    for event in events:
        consumed += sum(any(event in m.triggers for m in d.matters) for d in departments)
        consumed += event in tracked
    return consumed


def machine() -> dict[str, Any]:
    memory = None
    with contextlib.suppress(ValueError, OSError):
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run_bench(
    *,
    scale: Scale,
    bootstrap: str | None = None,
    only: tuple[str, ...] = FIGURES,
    profile: Path | None = None,
    progress: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> dict[str, Any]:
    """Measure the figures in ``only`` and return the report (see streams.bench.figures.report)."""
    from streams.bench.codec_speed import measure_codec
    from streams.bench.tracker_size import measure_tracker

    started = time.monotonic()
    figures: list[Figure] = []

    def measured(label: str, measure: Callable[[], Figure | tuple[Figure, ...]], *names: str) -> None:
        """Run one measurement; one that fails leaves its figures "not measured", with the reason."""
        progress(f"bench: {label}…")
        began = time.monotonic()
        try:
            outcome = measure()
        except Exception as exc:  # the other figures are still worth having
            progress(f"bench:   failed: {type(exc).__name__}: {exc}")
            outcome = tuple(
                not_measured(name, TARGETS[name], f"{type(exc).__name__}: {exc}") for name in names
            )
        for figure in outcome if isinstance(outcome, tuple) else (outcome,):
            figures.append(figure)
            shown = "not measured" if figure.ratio is None else f"ratio {figure.ratio:.3g}"
            progress(
                f"bench:   {figure.name}: {figure.value!r:.10} ({shown}, {time.monotonic() - began:.0f} s)"
            )

    # In-process figures first: no broker, no worker competing for the two cores.
    if "codec" in only:
        measured(
            "codec against Apache avro",
            lambda: measure_codec(events=scale.codec_events),
            "codec_speedup_vs_avro",
        )
    if "tracker" in only:
        measured(
            f"tracker state with {scale.tracker_cases:,} open cases",
            lambda: measure_tracker(cases=scale.tracker_cases),
            "tracker_bytes_per_open_case",
        )
    extra: dict[str, Any] = {}
    if set(only) & {"hop", "latency", "restart", "replay", "scale"}:
        _broker_figures(scale, bootstrap, only, profile, measured, progress, extra)
    result = report(
        figures, machine=machine(), scale={**asdict(scale), "seconds": round(time.monotonic() - started)}
    )
    result.update(extra)
    result["command"] = " ".join(["onething", "bench", *sys.argv[2:]]) if sys.argv[1:2] == ["bench"] else ""
    return result


def _broker_figures(scale, bootstrap, only, profile, measured, progress, extra) -> None:  # noqa: ANN001
    from streams.bench.cluster import bench_cluster
    from streams.bench.hop import measure_hop
    from streams.bench.latency import latency_figures
    from streams.bench.replay import measure_replay
    from streams.bench.restart import measure_restart

    progress("bench: starting " + ("a broker of its own" if bootstrap is None else f"on {bootstrap}") + "…")
    with bench_cluster(bootstrap=bootstrap) as cluster:
        raw_hop_rate: float | None = None
        if "hop" in only:
            hop: list[Figure] = []
            measured(
                "one department hop against a raw aiokafka loop",
                lambda: _keep(hop, measure_hop(cluster, events=scale.hop_events, profile=profile)),
                "hop_ratio_vs_raw",
            )
            raw_hop_rate = hop[0].baseline if hop else None
        if "latency" in only:

            def latency() -> tuple[Figure, Figure]:
                worker = cluster.worker(app_id=LATENCY_GROUP, name="cases")
                try:
                    return latency_figures(
                        cluster,
                        seconds=scale.latency_seconds,
                        grace=scale.latency_grace,
                        ladder=scale.rate_ladder,
                        drain_timeout=scale.drain_seconds,
                        raw_hop_rate=raw_hop_rate,
                        consumptions_per_case=consumptions_per_case(),
                        worker_pid=worker.pid,
                        group=LATENCY_GROUP,
                    )
                finally:
                    worker.stop()

            measured(
                "restaurant cases end to end at a sustained rate",
                latency,
                "case_latency_ms",
                "max_sustained_cases_per_s",
            )
        if "restart" in only:
            measured(
                f"restart after {scale.restart_large:,} against {scale.restart_small:,} finished cases",
                lambda: measure_restart(cluster, small=scale.restart_small, large=scale.restart_large),
                "restart_seconds",
            )
        if "replay" in only:
            measured(
                "reading the log back against a raw consumer",
                lambda: measure_replay(cluster),
                "replay_ratio_vs_raw",
            )
        if "scale" in only:
            from streams.bench.scale import throughput_curve

            progress("bench: one hop with 1, 2 and 3 workers in one consumer group…")
            try:
                curve = throughput_curve(cluster, events=scale.hop_events)
                extra["horizontal_scale"] = {
                    "events_per_s_by_workers": {str(n): round(rate, 1) for n, rate in curve.items()},
                    "partitions": cluster.settings.partitions,
                }
            except Exception as exc:
                extra["horizontal_scale"] = {"not_measured": f"{type(exc).__name__}: {exc}"}


def _keep(kept: list[Figure], figure: Figure) -> Figure:
    kept.append(figure)
    return figure
