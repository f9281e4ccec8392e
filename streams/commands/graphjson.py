"""The flow map as JSON: every department, every flow's nodes and edges, and the check's problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from streams.commands.declared import Declarations
from streams.commands.describe import condition_text, department_info
from streams.commands.flowgraph import Analysis, FlowGraph


def graph_info(graph: FlowGraph, declarations: Declarations) -> dict[str, Any]:
    flow = graph.flow
    nodes: list[dict[str, Any]] = [{"id": flow.application, "kind": "application", "event": flow.application}]
    nodes += [
        {
            "id": matter.key,
            "kind": "matter",
            "display_name": matter.display_name,
            "department": matter.department,
            "department_display_name": declarations.display_name(matter.department),
            "triggers": list(matter.triggers),
            "done": matter.done,
            "sla_working_days": matter.sla_working_days,
            "condition": condition_text(matter.when) or None,
        }
        for matter in graph.matters
    ]
    return {
        "name": flow.name,
        "display_name": flow.display_name,
        "lead": flow.lead,
        "application": flow.application,
        "sla_working_days": flow.sla_working_days,
        "nodes": nodes,
        # event None: the flow's `after` orders the two matters with no event between them.
        "edges": [{"source": e.source, "target": e.target, "event": e.event} for e in graph.edges],
    }


def render_json(
    graphs: Sequence[FlowGraph], declarations: Declarations, analysis: Analysis
) -> dict[str, Any]:
    return {
        "departments": [department_info(d) for d in declarations.departments],
        "flows": [graph_info(g, declarations) for g in graphs],
        "problems": [
            {"kind": p.kind, "message": p.message, "flow": p.flow, "matter": p.matter, "event": p.event}
            for p in analysis.problems
        ],
    }
