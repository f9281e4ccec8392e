"""`onething departments list [--json]`: every discovered department and the matters it performs."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from streams.commands import declared
from streams.commands.describe import also_emits, condition_text, department_info, plural, to_json
from streams.config import Settings
from streams.department import Department
from streams.terminal import table

HEADERS = ("matter", "事项", "trigger", "done", "SLA", "condition", "materials")


def render(departments: Sequence[Department]) -> list[str]:
    lines: list[str] = []
    for department in departments:
        lines.append(f"{department.display_name} {department.name} {department.version}")
        rows = [
            (
                m.name,
                m.display_name,
                m.trigger_text,
                " + ".join([m.done, *also_emits(m)]),
                str(m.sla_working_days),
                condition_text(m.when),
                ", ".join(m.materials),
            )
            for m in department.matters
        ]
        lines += ["  " + line for line in table(HEADERS, rows, right=(4,))]
        lines.append("")
    matters = sum(len(d.matters) for d in departments)
    lines.append(
        f"{plural(len(departments), 'department')}, {plural(matters, 'matter')} (SLA in working days)"
    )
    return lines


def _list(args: argparse.Namespace, settings: Settings) -> int:
    departments = declared.departments(settings)
    if args.json:
        print(to_json([department_info(d) for d in departments]))
    else:
        print("\n".join(render(departments)))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("departments", help="the discovered departments and their matters")
    parser.add_argument("action", choices=["list"])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=_list)
