"""`onething discover [--window DAYS] [--min-count N] [--json]`: 需求发现, flows the same applicants
apply for together, proposed as new 一件事 candidates with their counts (read from the event log)."""

from __future__ import annotations

import argparse
from typing import Any

from streams import discovery
from streams.commands.arguments import positive_count, positive_number
from streams.commands.describe import plural, to_json
from streams.commands.logread import read_log
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
    flows = discovery.flows()
    events = read_log(settings, timeout=args.timeout)
    if events is None:
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


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "discover", help="需求发现: flows applied for together, as 一件事 candidates"
    )
    parser.add_argument("--window", type=positive_number, default=30, help="days that count as together (30)")
    parser.add_argument("--min-count", type=positive_count, default=3, help="times a set must be seen (3)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to read the log to its end")
    parser.set_defaults(func=_discover)
