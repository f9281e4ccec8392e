"""`onething graph --format mermaid|dot|json`: each drawing parses and has an edge per declared hop."""

from __future__ import annotations

import json
import re

import pytest

from streams.commands import declared
from streams.commands.flowgraph import analyse
from streams.config import Settings
from streams.contracts import default_catalog
from tests.unit.commands.running import run

QUOTED = r'"(?:[^"\\]|\\.)*"'


def declared_hops() -> dict[str, set[tuple[str, str, str | None]]]:
    """Every flow's edges as the analysis declares them: (source, target, event)."""
    declarations = declared.load(Settings())
    analysis = analyse(declarations.departments, declarations.flows, default_catalog())
    return {g.flow.name: {(e.source, e.target, e.event) for e in g.edges} for g in analysis.graphs}


def test_json_has_every_flow_with_its_nodes_and_edges(capsys):
    code, out, _ = run(capsys, "graph", "--format", "json")
    assert code == 0
    drawn = json.loads(out)
    hops = declared_hops()
    assert {f["name"] for f in drawn["flows"]} == set(hops)
    for flow in drawn["flows"]:
        nodes = {n["id"] for n in flow["nodes"]}
        assert flow["application"] in nodes
        edges = {(e["source"], e["target"], e["event"]) for e in flow["edges"]}
        assert edges == hops[flow["name"]]
        assert all(source in nodes and target in nodes for source, target, _ in edges)
    assert {d["name"] for d in drawn["departments"]} >= {"market_regulation", "fire_rescue"}
    assert drawn["problems"] == []


def test_mermaid_draws_an_edge_per_declared_hop(capsys):
    code, out, _ = run(capsys, "graph", "--format", "mermaid")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(line.strip().startswith("subgraph ") for line in lines) == len(declared_hops())
    assert sum(line.strip() == "end" for line in lines) == len(declared_hops())
    # Node ids are plain identifiers; every edge joins two nodes defined before it.
    defined = set()
    edges = 0
    for line in lines:
        node = re.fullmatch(r"\s+(\w+)(?:\(\[|\[)(\".*\")(?:\]\)|\])(?::::\w+)?", line)
        edge = re.fullmatch(r"\s+(\w+) (?:-->\|\"\w+\"\||-\.->) (\w+)", line)
        if node:
            defined.add(node.group(1))
            assert '"' not in node.group(2)[1:-1]  # a quote inside would end the label
        elif edge:
            assert {edge.group(1), edge.group(2)} <= defined
            edges += 1
    assert edges == sum(len(hops) for hops in declared_hops().values())


def test_mermaid_labels_the_hop_with_its_event(capsys):
    _, out, _ = run(capsys, "graph", "--format", "mermaid", "--flow", "open_restaurant")
    assert 'f1_application -->|"RestaurantApplicationSubmitted"| f1_m1' in out
    assert '"户外招牌设置<br/>城市管理局<br/>when signboard_text != #quot;#quot;"]:::conditional' in out


def test_dot_is_well_formed_with_an_edge_per_declared_hop(capsys):
    code, out, _ = run(capsys, "graph", "--format", "dot")
    assert code == 0
    # Structure: braces balance outside quoted strings, statements end with ';'.
    bare = re.sub(QUOTED, "S", out)
    depth = 0
    for char in bare:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    nodes, edges = set(), []
    for line in out.splitlines()[1:-1]:
        line = line.strip()
        if edge := re.fullmatch(rf"({QUOTED}) -> ({QUOTED}) \[.*\];", line):
            edges.append((edge.group(1), edge.group(2)))
        elif node := re.fullmatch(rf"({QUOTED}) \[shape=\w+, label={QUOTED}.*\];", line):
            nodes.add(node.group(1))
        else:
            assert re.fullmatch(
                rf"(rankdir=LR|node \[.*\]|subgraph {QUOTED} \{{|label={QUOTED}|\}});?", line
            ), line
    assert all(source in nodes and target in nodes for source, target in edges)
    assert len(edges) == sum(len(hops) for hops in declared_hops().values())


def test_a_format_nobody_knows_gets_one_line(capsys):
    with pytest.raises(SystemExit) as exit:
        run(capsys, "graph", "--format", "svg")
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("onething: argument --format: invalid choice: 'svg'") and err.count("\n") == 1
