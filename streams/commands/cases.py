"""`onething cases list [--flow F] [--state open|completed|rejected] [--limit N] [--json]`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from streams.caselist import STATES, CaseRow, recent_cases
from streams.commands import declared
from streams.commands.arguments import count
from streams.config import Settings
from streams.flows import FlowMap
from streams.terminal import table

HEADERS = ("case", "flow", "subject", "state", "opened (Beijing)")
DEFAULT_LIMIT = 20


def render(rows: Sequence[CaseRow], *, limit: int) -> list[str]:
    if not rows:
        return ["no cases in the event log"]
    cells = [(r.case_id, r.flow, r.subject, r.state, r.opened.strftime("%Y-%m-%d %H:%M:%S")) for r in rows]
    more = f" (the newest {limit}; --limit N for more)" if len(rows) == limit else ""
    return [*table(HEADERS, cells), f"{len(rows)} cases{more}"]


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from streams.eventlog import read_to_end

    declarations = declared.load(settings)
    flow_map = FlowMap(list(declarations.flows), list(declarations.departments))
    if args.flow and args.flow not in flow_map.flows:  # before reading the whole log
        raise LookupError(f"unknown flow {args.flow}; known: {', '.join(flow_map.flows)}")
    events = read_to_end(settings, timeout=args.timeout)
    if events is None:
        raise TimeoutError(f"the event log was not read to its end within {args.timeout:.0f} s")
    limit = args.limit or None
    rows = recent_cases(
        events, flow_map, settings.clock().now(), flow=args.flow, state=args.state, limit=limit
    )
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        print("\n".join(render(rows, limit=args.limit)))
    return 0


def register(case_commands: argparse._SubParsersAction) -> None:
    """Adds `list` beside `cases show`."""
    parser = case_commands.add_parser("list", help="recent cases, newest first: id, flow, subject, state")
    parser.add_argument("--flow", help="only this flow's cases")
    parser.add_argument(
        "--state",
        "--status",
        choices=sorted(STATES),
        help="only open (overdue included), completed or rejected",
    )
    parser.add_argument(
        "--limit",
        type=count,
        default=DEFAULT_LIMIT,
        help=f"at most N (default {DEFAULT_LIMIT}; 0: all)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to read the log (default 60)")
    parser.set_defaults(func=_list)
