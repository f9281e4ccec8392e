"""`onething report [--json]`: the government's table, published before → after next to what the
platform measured on its own cases (read from the event log)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from streams import discovery
from streams.channels import ONLINE_TARGET
from streams.commands import service_report
from streams.commands.coverage import area_coverage
from streams.commands.describe import FIGURES, number, plural, published_info, to_json
from streams.commands.logread import read_log
from streams.commands.measure import FlowMeasure, measure, overall_online_rate
from streams.config import Settings
from streams.flows import Flow
from streams.terminal import table

# The published figures a case can be measured against (form fields are not measured).
COMPARED = [(field, label) for field, label in FIGURES if field != "form_fields"]


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def ordered(measures: dict[str, FlowMeasure], flows: Sequence[Flow]) -> list[FlowMeasure]:
    """Declared flows first, in their order; then flows known only from case outcomes."""
    declared = [f.name for f in flows]
    return [measures[n] for n in declared if n in measures] + [
        m for n, m in sorted(measures.items()) if n not in declared
    ]


def report_data(measures: dict[str, FlowMeasure], flows: Sequence[Flow]) -> dict[str, Any]:
    """The report as plain data: what --json prints and a dashboard can serve."""
    by_name = {f.name: f for f in flows}
    rows = ordered(measures, flows)
    return {
        "online_rate": overall_online_rate(rows),
        "online_target": ONLINE_TARGET,
        "cases": {
            "started": sum(m.started for m in rows),
            "completed": sum(m.completed for m in rows),
            "rejected": sum(m.rejected for m in rows),
            "open": sum(m.open for m in rows),
        },
        "flows": [
            {
                "name": m.flow,
                "display_name": by_name[m.flow].display_name if m.flow in by_name else m.flow,
                "sla_working_days": by_name[m.flow].sla_working_days if m.flow in by_name else None,
                "published": published_info(by_name[m.flow].published) if m.flow in by_name else None,
                "cases": {
                    "started": m.started,
                    "completed": m.completed,
                    "rejected": m.rejected,
                    "open": m.open,
                },
                "applications": m.applications,
                "online": m.online,
                "online_rate": m.online_rate,
                "on_time_rate": m.on_time_rate,
                "instant_rate": m.instant_rate,
                "instant_matter_rate": m.instant_matter_rate,
                "measured": {
                    "materials": m.measured.materials,
                    "trips": m.measured.trips,
                    "steps": m.measured.steps,
                    "working_days": m.measured.working_days,
                    "submissions": m.measured.submissions,
                },
                "departments": list(m.departments),
            }
            for m in rows
        ],
    }


def render(data: dict[str, Any]) -> list[str]:
    cases = data["cases"]
    rate = data["online_rate"]
    verdict = "" if rate is None else (" ✓" if rate >= data["online_target"] else " ✗")
    lines = [
        f"一件事 report: {plural(len(data['flows']), 'flow')}, {plural(cases['started'], 'case')} "
        f"({cases['completed']} completed, {cases['rejected']} rejected, {cases['open']} open); "
        f"一网通办率 {_percent(rate)} (target ≥ {data['online_target']:.0%}){verdict}",
    ]
    for flow in data["flows"]:
        published = flow["published"]
        source = f" · published by {published['source']}" if published else " · no published figures"
        c = flow["cases"]
        on_time = "" if flow["on_time_rate"] is None else f" · on time {_percent(flow['on_time_rate'])}"
        if flow.get("instant_rate") is not None:
            on_time += f" · 秒办 {_percent(flow['instant_rate'])}"
        lines += [
            "",
            f"{flow['display_name']} {flow['name']}{source}",
            f"  {plural(c['started'], 'case')} · {c['completed']} completed · {c['rejected']} rejected"
            f" · {c['open']} open · 一网通办率 {_percent(flow['online_rate'])}{on_time}",
        ]
        rows = [
            (
                label,
                number(published["before"][field]) if published else "—",
                number(published["after"][field]) if published else "—",
                number(flow["measured"][field]),
            )
            for field, label in COMPARED
        ]
        lines += [
            "  " + line for line in table(("figure", "before", "after", "measured"), rows, right=(1, 2, 3))
        ]
    return lines


def _report(args: argparse.Namespace, settings: Settings) -> int:
    flows = discovery.flows()
    events = read_log(settings, timeout=args.timeout)
    if events is None:
        return 1
    data = report_data(measure(events, flows), flows)
    service_report.extend(data, events, flows, bundles=discovery.bundles(), coverage=area_coverage())
    print(to_json(data) if args.json else "\n".join(render(data) + service_report.render(data)))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("report", help="published before/after figures next to the measured ones")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to read the log to its end")
    parser.set_defaults(func=_report)
