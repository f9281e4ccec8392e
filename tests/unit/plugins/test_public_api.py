"""A plug-in imports everything it needs from `streams`, and nothing from the example agents."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import streams

AGENTS = Path(__file__).resolve().parents[3] / "agents"
# The modules department and flow authors import from; platform internals (the issue loop) aside.
AUTHOR_MODULES = {
    "streams",
    "streams.events",
    "streams.conditions",
    "streams.department",
    "streams.flows",
    "streams.checklist",
    "streams.facts",
    "streams.days",
    "streams.identifiers",
}


def names_agents_import() -> set[str]:
    names = set()
    for path in AGENTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in AUTHOR_MODULES:
                names |= {alias.name for alias in node.names}
    return names


def test_every_name_the_reference_departments_import_comes_from_streams():
    names = names_agents_import()
    assert {"Department", "Flow", "Step", "emit", "reject", "Condition", "Checklist", "carry"} <= names
    assert sorted(n for n in names if not hasattr(streams, n)) == []
    assert set(streams.__all__) >= names


def test_the_old_module_paths_still_work():
    from agents.flows import applicants
    from streams import samples
    from streams.department import Department

    assert streams.Department is Department
    assert applicants.citizen is samples.citizen and applicants.vary is samples.vary


def test_the_api_sample_helpers_and_harness_need_no_example_agent():
    code = (
        "import sys, streams, streams.samples, streams.testing; "
        "print(sorted(m for m in sys.modules if m == 'agents' or m.startswith('agents.')))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
