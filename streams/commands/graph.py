"""`onething graph [--check] [--format text|mermaid|dot|json] [--flow NAME]`: the flow map."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from streams import discovery
from streams.bundles import problems
from streams.commands import declared
from streams.commands.describe import condition_text, plural, to_json
from streams.commands.flowgraph import Analysis, Edge, FlowGraph, Problem, analyse
from streams.commands.graphjson import render_json
from streams.commands.mermaid import render_mermaid
from streams.config import Settings
from streams.contracts import default_catalog
from streams.department import Matter
from streams.validation import flow_when_problems, when_problems


def _primary(edges: list[Edge]) -> Edge | None:
    """The edge a matter hangs under when drawn as a tree: the one its trigger arrives by."""
    return next((e for e in edges if e.event is not None), edges[0] if edges else None)


def describe_matter(matter: Matter, department_name: str) -> str:
    when = f" · when {condition_text(matter.when)}" if matter.when else ""
    return (
        f"{matter.display_name} {matter.key} · {department_name} · {matter.sla_working_days} wd{when}"
        f" ⇒ {matter.done}"
    )


def render_text(graph: FlowGraph, department_name: Callable[[str], str]) -> list[str]:
    flow = graph.flow
    by_key = {m.key: m for m in graph.matters}
    # Each matter hangs under one parent, so the walk below meets it at most once.
    children: dict[str, list[str]] = {}
    for matter in graph.matters:
        if edge := _primary(graph.incoming(matter.key)):
            children.setdefault(edge.source, []).append(matter.key)
    lines = [
        f"{flow.display_name} {flow.name} · lead {department_name(flow.lead)}"
        f" · SLA {flow.sla_working_days} working days",
        f"  {flow.application}",
    ]
    placed: set[str] = set()

    def walk(node: str, indent: str) -> None:
        kids = children.get(node, [])
        for i, key in enumerate(kids):
            last = i == len(kids) - 1
            matter = by_key[key]
            others = [e.source for e in graph.incoming(key) if e.source != node]
            also = f" (also after {', '.join(others)})" if others else ""
            branch = "└─" if last else "├─"
            lines.append(
                f"{indent}{branch} {describe_matter(matter, department_name(matter.department))}{also}"
            )
            placed.add(key)
            walk(key, indent + ("   " if last else "│  "))

    walk(flow.application, "  ")
    unplaced = [k for k in by_key if k not in placed]
    if unplaced:
        lines.append(f"  not connected to {flow.application}: {', '.join(unplaced)}")
    return lines


def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_dot(graphs: list[FlowGraph], department_name: Callable[[str], str]) -> list[str]:
    """Graphviz: one cluster per flow; node ids carry the flow so flows sharing a matter stay apart."""
    lines = ["digraph onething {", "  rankdir=LR;", '  node [fontname="sans-serif"];']
    for graph in graphs:
        flow = graph.flow

        def node(key: str, flow_name: str = flow.name) -> str:
            return _dot_string(f"{flow_name}/{key}")

        lines += [
            f"  subgraph {_dot_string('cluster_' + flow.name)} {{",
            f"    label={_dot_string(f'{flow.display_name} {flow.name}')};",
            f"    {node(flow.application)} [shape=oval, label={_dot_string(flow.application)}];",
        ]
        for matter in graph.matters:
            label = f"{matter.display_name}\n{department_name(matter.department)}"
            style = ""
            if matter.when:
                label += f"\nwhen {condition_text(matter.when)}"
                style = ", style=dashed"
            lines.append(f"    {node(matter.key)} [shape=box, label={_dot_string(label)}{style}];")
        for edge in graph.edges:
            attributes = f"label={_dot_string(edge.event)}" if edge.event else "style=dashed"
            lines.append(f"    {node(edge.source)} -> {node(edge.target)} [{attributes}];")
        lines.append("  }")
    lines.append("}")
    return lines


def check_lines(analysis: Analysis, flows: int, matters: int) -> list[str]:
    if analysis.problems:
        return [str(p) for p in analysis.problems]
    return [
        f"{plural(flows, 'flow')}, {plural(matters, 'matter')}: every matter reachable, every order agrees "
        "with its trigger, every event consumed or final, every event has a schema"
    ]


def _with_plugin_problems(analysis: Analysis, declarations: declared.Declarations) -> Analysis:
    """Add refused plug-ins and `when`s that do not fit their events to the flow map's problems."""
    catalog = default_catalog()
    matters = declarations.matters
    extra = [Problem("refused", str(r)) for r in declarations.refusals]
    extra += [Problem("when", str(p)) for p in when_problems(matters.values(), catalog)]
    extra += [
        Problem("when", str(p), flow=f.name)
        for f in declarations.flows
        for p in flow_when_problems(f, matters, catalog)
    ]
    return Analysis((*extra, *analysis.problems), analysis.graphs)


def _graph(args: argparse.Namespace, settings: Settings) -> int:
    declarations = declared.load(settings)
    analysis = _with_plugin_problems(
        analyse(declarations.departments, declarations.flows, default_catalog()), declarations
    )
    if args.check:
        # 一类事 bundles must be made of declared flows.
        bundle_problems = [p for b in discovery.bundles() for p in problems(b, declarations.flows)]
        failed = bool(analysis.problems or bundle_problems)
        lines = (
            [str(p) for p in analysis.problems] + bundle_problems
            if failed
            else check_lines(analysis, len(declarations.flows), len(declarations.matters))
        )
        print("\n".join(lines), file=sys.stderr if failed else sys.stdout)
        return 1 if failed else 0
    graphs = list(analysis.graphs)
    if args.flow:
        graphs = [g for g in graphs if g.flow.name == args.flow]
        if not graphs:
            known = ", ".join(f.name for f in declarations.flows)
            print(f"onething: unknown flow {args.flow}; known: {known}", file=sys.stderr)
            return 1
    if args.format == "dot":
        print("\n".join(render_dot(graphs, declarations.display_name)))
    elif args.format == "mermaid":
        print("\n".join(render_mermaid(graphs, declarations.display_name)))
    elif args.format == "json":
        print(to_json(render_json(graphs, declarations, analysis)))
    else:
        print("\n\n".join("\n".join(render_text(g, declarations.display_name)) for g in graphs))
    if analysis.problems:
        print(f"onething: {len(analysis.problems)} problems; see onething graph --check", file=sys.stderr)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("graph", help="draw the flow map, or check it (--check)")
    parser.add_argument("--check", action="store_true", help="check the declarations; exit 1 on a problem")
    parser.add_argument(
        "--format",
        choices=["text", "mermaid", "dot", "json"],
        default="text",
        help="text (default), a Mermaid flowchart, Graphviz dot, or JSON",
    )
    parser.add_argument("--flow", help="draw only this flow")
    parser.set_defaults(func=_graph)
