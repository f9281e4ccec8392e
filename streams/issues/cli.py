"""`onething issues …`: simulate the enterprise issue loop, show one issue's history, report figures.

onething issues simulate --count N [--seed S] [--timeout T] [--json]
onething issues show ISSUE_ID
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from streams.commands.arguments import positive_count
from streams.config import Settings
from streams.issues import model as m
from streams.issues.routing import category_name, department_name
from streams.terminal import table

FIGURES = (
    ("raised", "受理"),
    ("closed", "办结"),
    ("escalated", "督办"),
    ("closure_rate", "办结率"),
    ("satisfaction_rate", "满意率"),
    ("on_time_rate", "按时率"),
    ("follow_up_rate", "回访率"),
    ("average_working_days_to_close", "平均办结工作日"),
)


def register(commands: argparse._SubParsersAction) -> None:
    issues = commands.add_parser("issues", help="the enterprise issue loop (涉企问题闭环)")
    actions = issues.add_subparsers(
        dest="action", metavar="{simulate,show}", required=True, parser_class=type(issues)
    )

    simulate = actions.add_parser("simulate", help="raise realistic issues and wait until they end")
    simulate.add_argument("--count", type=positive_count, required=True, help="issue reports to raise")
    simulate.add_argument("--seed", type=int, help="make the issues reproducible")
    simulate.add_argument("--timeout", type=float, default=300, help="seconds to wait (default 300)")
    simulate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    simulate.set_defaults(func=_simulate)

    show = actions.add_parser("show", help="one issue's whole history")
    show.add_argument("issue_id", help="e.g. QY-3F2A9C0D1B7E")
    show.set_defaults(func=_show)


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    from streams.eventlog import EventLog
    from streams.issues.simulation import simulate_issues, wait_for_issues
    from streams.startup import connect

    if settings.clock_speed == 1:
        print(
            "note: the platform clock runs in real time, so issues that wait for supervision take "
            "working days; run workers and this command with ONETHING_CLOCK_SPEED and "
            "ONETHING_CLOCK_ORIGIN to watch the whole loop",
            file=sys.stderr,
        )
    connection = connect(settings)
    log = EventLog(connection)
    try:
        ids = simulate_issues(connection, count=args.count, seed=args.seed)
        print(f"raised {len(ids)} issue reports; waiting for `onething run` to close them…", file=sys.stderr)
        summary = wait_for_issues(log, ids, args.timeout)
    finally:
        log.close()
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else "\n".join(render(summary)))
    return 0 if summary["open"] == 0 else 1


def _show(args: argparse.Namespace, settings: Settings) -> int:
    from streams import discovery
    from streams.issues.history import describe_issue
    from streams.replay.select import case_history

    events = case_history(settings, args.issue_id)
    if not events:
        raise LookupError(f"no issue {args.issue_id} in the event log")
    names = {d.name: d.display_name for d in discovery.departments()}
    print("\n".join(describe_issue(args.issue_id, events, names)))
    return 0


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _row(label: str, figures: dict[str, Any]) -> list[str]:
    cells = [label]
    for key, _ in FIGURES:
        value = figures[key]
        if key.endswith("_rate"):
            cells.append(_percent(value))
        elif isinstance(value, float):
            cells.append(f"{value:.2f}")
        else:
            cells.append("—" if value is None else str(value))
    return cells


def render(summary: dict[str, Any]) -> list[str]:
    """The figures as tables: overall, then per department, channel and category."""
    headers = ["", *(label for _, label in FIGURES)]
    right = range(1, len(headers))
    lines = [
        f"涉企问题 {summary['raised']} 件（另合并重复反映 {summary['merged']} 件），"
        f"办结 {summary['closed']}，未办结 {summary['open']}，督办 {summary['escalated']}，"
        f"差评整改 {summary['reopened']}，停滞预警 {summary['stuck']}",
        "",
        *table(headers, [_row("合计", summary)], right=right),
    ]
    groups = (
        ("by_department", "承办部门", department_name),
        ("by_channel", "渠道", lambda c: m.CHANNELS.get(c, c)),
        ("by_category", "类别", category_name),
    )
    for key, title, name in groups:
        rows = [_row(name(code), figures) for code, figures in summary[key].items()]
        lines += ["", *table([title, *headers[1:]], rows, right=right)]
    return lines
