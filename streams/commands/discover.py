"""`onething discover [--window DAYS] [--min-count N] [--json]`: 需求发现, flows the same applicants
apply for together, proposed as new 一件事 candidates with their counts (read from the event log)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from streams import discovery
from streams.commands.describe import plural, to_json
from streams.config import Settings
from streams.demand import Candidate, discover
from streams.terminal import table


def candidates_data(found: list[Candidate], names: dict[str, str], *, window: float, min_count: int) -> dict:
    return {
        "window_days": window,
        "min_count": min_count,
        "candidates": [
            {
                "flows": list(c.flows),
                "display_names": [names.get(f, f) for f in c.flows],
                "count": c.count,
                "subjects": c.subjects,
            }
            for c in found
        ],
    }


def render(data: dict[str, Any]) -> list[str]:
    found = data["candidates"]
    head = (
        f"需求发现: {plural(len(found), 'candidate')} for a new 一件事 — flows the same applicant "
        f"applied for within {data['window_days']:g} days, at least {data['min_count']} times"
    )
    if not found:
        return [head]
    rows = [
        ("、".join(c["display_names"]), ", ".join(c["flows"]), str(c["count"]), str(c["subjects"]))
        for c in found
    ]
    return [head, "", *table(("一件事 candidate", "flows", "times", "applicants"), rows, right=(2, 3))]


def _discover(args: argparse.Namespace, settings: Settings) -> int:
    from streams.broker import kafka_answers
    from streams.eventlog import read_to_end
    from streams.security import kafka_options

    kafka_log = logging.getLogger("kafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)  # one line from us instead of kafka-python's ERRORs
    try:
        flows = discovery.flows()
        if not kafka_answers(settings.bootstrap_servers, **kafka_options(settings)):
            print(f"onething: no Kafka broker answers at {settings.bootstrap_servers}", file=sys.stderr)
            return 1
        events = read_to_end(settings, timeout=args.timeout)
    finally:
        kafka_log.setLevel(level)
    if events is None:
        print(f"onething: the event log was not read to its end within {args.timeout:.0f} s", file=sys.stderr)
        return 1
    declared = [frozenset(b.members) for b in discovery.bundles()]
    found = discover(
        events,
        {f.application: f.name for f in flows},
        window_days=args.window,
        min_count=args.min_count,
        declared=declared,
    )
    names = {f.name: f.display_name for f in flows}
    data = candidates_data(found, names, window=args.window, min_count=args.min_count)
    print(to_json(data) if args.json else "\n".join(render(data)))
    return 0


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is less than 1")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "discover", help="需求发现: flows applied for together, as 一件事 candidates"
    )
    parser.add_argument(
        "--window", type=_positive_number, default=30, help="days that count as together (30)"
    )
    parser.add_argument("--min-count", type=_count, default=3, help="times a set must be seen (3)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to read the log to its end")
    parser.set_defaults(func=_discover)
