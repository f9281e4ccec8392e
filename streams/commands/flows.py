"""`onething flows list [--json]`: every discovered 一件事 flow, its steps and published figures."""

from __future__ import annotations

import argparse
from typing import Any

from streams.commands import declared
from streams.commands.declared import Declarations
from streams.commands.describe import flow_info, plural, published_line, to_json
from streams.config import Settings
from streams.terminal import table

HEADERS = ("matter", "事项", "department", "after", "condition")


def render_flow(info: dict[str, Any]) -> list[str]:
    lines = [
        f"{info['display_name']} {info['name']} · {info['audience']} · lead {info['lead_display_name']}"
        f" · SLA {info['sla_working_days']} working days",
        f"  application {info['application']}",
    ]
    rows = [
        (
            step["matter"],
            step["display_name"] or "(unknown matter)",
            step["department_display_name"],
            ", ".join(step["after"]) or "—",
            step["condition"] or "",
        )
        for step in info["steps"]
    ]
    lines += ["  " + line for line in table(HEADERS, rows)]
    return lines


def render(declarations: Declarations) -> list[str]:
    lines: list[str] = []
    for flow in declarations.flows:
        lines += render_flow(flow_info(flow, declarations))
        lines += [f"  published {published_line(flow.published)}", ""]
    lines.append(plural(len(declarations.flows), "flow"))
    return lines


def _list(args: argparse.Namespace, settings: Settings) -> int:
    declarations = declared.load(settings)
    if args.json:
        print(to_json([flow_info(f, declarations) for f in declarations.flows]))
    else:
        print("\n".join(render(declarations)))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("flows", help="the discovered 一件事 flows")
    parser.add_argument("action", choices=["list"])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=_list)
