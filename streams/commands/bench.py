"""`onething bench [--json] [--quick]`: every performance figure against its baseline, one run."""

from __future__ import annotations

import argparse
import json
import signal
from pathlib import Path
from typing import Any

from streams.commands.arguments import positive_count as whole
from streams.config import Settings
from streams.terminal import table


def _figures(text: str) -> tuple[str, ...]:
    from streams.bench.run import CHOICES

    chosen = tuple(name for name in text.split(",") if name)
    unknown = [name for name in chosen if name not in CHOICES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(CHOICES)}")
    return chosen


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from streams.bench.run import FIGURES, run_bench, scale_for

    # SIGTERM unwinds like Ctrl-C, so the broker, registry and workers the run started are stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    scale = scale_for(
        quick=args.quick,
        hop_events=args.hop_events,
        restart_small=args.restart_small,
        restart_large=args.restart_large,
        tracker_cases=args.tracker_cases,
        latency_seconds=args.latency_seconds,
    )
    if scale.restart_small >= scale.restart_large:
        raise ValueError(
            f"--restart-small ({scale.restart_small:,}) must be below"
            f" --restart-large ({scale.restart_large:,})"
        )
    if args.profile is not None and not spy_available():
        raise LookupError("--profile needs py-spy: pip install -e '.[bench]'")
    result = run_bench(scale=scale, bootstrap=args.bootstrap, only=args.only or FIGURES, profile=args.profile)
    print(
        json.dumps(result, ensure_ascii=False, indent=None if args.json else 2)
        if args.json
        else render(result)
    )
    return 0


def spy_available() -> bool:
    import shutil
    import sys

    return bool(shutil.which("py-spy") or Path(sys.executable).with_name("py-spy").exists())


def render(result: dict[str, Any]) -> str:
    rows = [
        [
            name,
            _shown(figure["value"]),
            _shown(figure["baseline"]),
            _shown(figure["ratio"]),
            figure["target"],
            "yes" if figure["met"] else "no",
        ]
        for name, figure in result["figures"].items()
    ]
    lines = table(["figure", "value", "baseline", "ratio", "target", "met"], rows, right=(1, 2, 3))
    return "\n".join([*lines, f"{result['met']} of {len(rows)} targets met; --json for every detail"])


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return (
        f"{value:,.3g}"
        if isinstance(value, float) and abs(value) < 100
        else (f"{value:,.0f}" if isinstance(value, float | int) else str(value))
    )


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "bench", help="measure the platform against raw Kafka and Apache Avro (starts its own broker)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--quick", action="store_true", help="scaled down to a few minutes (scale in the output)"
    )
    parser.add_argument("--bootstrap", help="use this broker instead of starting one (PLAINTEXT)")
    parser.add_argument(
        "--only",
        type=_figures,
        help="comma-separated: codec,tracker,hop,latency,restart,replay (default), scale",
    )
    parser.add_argument("--hop-events", type=whole, help="events through the one-hop measurement")
    parser.add_argument("--tracker-cases", type=whole, help="open cases for the tracker's state size")
    parser.add_argument("--latency-seconds", type=float, help="seconds of applications per rate")
    parser.add_argument("--restart-small", type=whole, help="finished cases before the first restart")
    parser.add_argument("--restart-large", type=whole, help="finished cases before the second restart")
    parser.add_argument("--profile", type=Path, help="py-spy samples of the hop's worker, to this file")
    parser.set_defaults(func=_bench)
