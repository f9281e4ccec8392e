"""`onething flows list [--json]`: every discovered 一件事 flow, its steps and published figures, and
the 一类事 bundles declared from them."""

from __future__ import annotations

import argparse
from typing import Any

from streams import discovery
from streams.bundles import Bundle, problems
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


def bundle_info(bundle: Bundle, declarations: Declarations) -> dict[str, Any]:
    names = {f.name: f.display_name for f in declarations.flows}
    return {
        "kind": "bundle",
        "name": bundle.name,
        "display_name": bundle.display_name,
        "description": bundle.description,
        "audience": bundle.audience,
        "members": [{"flow": m, "display_name": names.get(m)} for m in bundle.members],
        "problems": problems(bundle, declarations.flows),
    }


def render_bundles(bundles: list[Bundle], declarations: Declarations) -> list[str]:
    """一类事: each bundle and the flows one request of it fans out to."""
    lines = []
    for bundle in bundles:
        info = bundle_info(bundle, declarations)
        members = " + ".join(f"{m['display_name'] or '(unknown flow)'} {m['flow']}" for m in info["members"])
        lines += [
            f"一类事 {info['display_name']} {info['name']} · {info['audience']}",
            f"  one request → {members}",
        ]
        lines += [f"  ✗ {problem}" for problem in info["problems"]]
        lines.append("")
    return lines + ([plural(len(bundles), "bundle")] if bundles else [])


def _list(args: argparse.Namespace, settings: Settings) -> int:
    declarations = declared.load(settings)
    bundles = discovery.bundles()
    if args.json:
        print(
            to_json(
                [flow_info(f, declarations) for f in declarations.flows]
                + [bundle_info(b, declarations) for b in bundles]
            )
        )
    else:
        print(
            "\n".join(
                render(declarations) + ([""] if bundles else []) + render_bundles(bundles, declarations)
            )
        )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("flows", help="the discovered 一件事 flows")
    parser.add_argument("action", choices=["list"])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=_list)
