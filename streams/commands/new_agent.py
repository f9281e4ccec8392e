"""`onething new-agent NAME [--path DIR] [--display-name TEXT]`: a department's package to start from."""

from __future__ import annotations

import argparse
from pathlib import Path

from streams.config import Settings
from streams.scaffold.package import Names, check_name, scaffold


def _taken(name: str, settings: Settings) -> str | None:
    """What an installed department or flow called ``name`` is, if there is one."""
    from streams import discovery
    from streams.commands import declared

    try:
        departments, flows = declared.departments(settings), discovery.flows()
    except discovery.DiscoveryError:  # nothing installed yet, or a broken plug-in: no clash to report
        return None
    if department := next((d for d in departments if d.name == name), None):
        return f"already a department ({department.display_name})"
    if flow := next((f for f in flows if f.name == name), None):
        return f"already a flow ({flow.display_name})"
    return None


def _new_agent(args: argparse.Namespace, settings: Settings) -> int:
    check_name(args.name)
    if taken := _taken(args.name, settings):
        raise ValueError(f"{args.name} is {taken}; choose another name")
    names = Names(args.name, args.display_name or args.name)
    target = Path(args.path or names.distribution)
    written = scaffold(names, target)
    print(f"created {target}: package {names.package}, department and flow {names.name}")
    print("\n".join(f"  {path.relative_to(target)}" for path in written))
    print(f"next:\n  pip install -e {target}\n  onething graph --check\n  (cd {target} && pytest)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("new-agent", help="scaffold a department's package: schemas, flow, tests")
    parser.add_argument("name", help="the department's name: lowercase letters, digits, underscores")
    parser.add_argument("--path", help="the folder to create (default: onething-NAME)")
    parser.add_argument(
        "--display-name", help="its name as people read it, e.g. 养老保险中心 (default: NAME)"
    )
    parser.set_defaults(func=_new_agent)
