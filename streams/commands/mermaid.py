"""The flow map as a Mermaid flowchart: one subgraph per flow, an edge per hop, labelled by its event.

Mermaid node ids allow letters, digits and underscores only, so nodes get short generated ids and
carry their names in labels; the same matter in two flows is two nodes, as in the dot drawing.
"""

from __future__ import annotations

from collections.abc import Callable

from streams.commands.describe import condition_text
from streams.commands.flowgraph import FlowGraph


def _label(text: str) -> str:
    # Inside a quoted label Mermaid reads entity codes; a double quote would end the label.
    return '"' + text.replace('"', "#quot;").replace("\n", "<br/>") + '"'


def render_mermaid(graphs: list[FlowGraph], department_name: Callable[[str], str]) -> list[str]:
    lines = ["flowchart LR", "  classDef conditional stroke-dasharray: 5 5"]
    for number, graph in enumerate(graphs, start=1):
        flow = graph.flow
        ids: dict[str, str] = {flow.application: f"f{number}_application"}
        ids |= {m.key: f"f{number}_m{i}" for i, m in enumerate(graph.matters, start=1)}
        lines += [
            f"  subgraph flow_{number}[{_label(f'{flow.display_name} {flow.name}')}]",
            f"    {ids[flow.application]}([{_label(flow.application)}])",
        ]
        for matter in graph.matters:
            label = f"{matter.display_name}\n{department_name(matter.department)}"
            style = ""
            if matter.when:
                label += f"\nwhen {condition_text(matter.when)}"
                style = ":::conditional"
            lines.append(f"    {ids[matter.key]}[{_label(label)}]{style}")
        for edge in graph.edges:
            arrow = f"-->|{_label(edge.event)}|" if edge.event else "-.->"
            lines.append(f"    {ids[edge.source]} {arrow} {ids[edge.target]}")
        lines.append("  end")
    return lines
