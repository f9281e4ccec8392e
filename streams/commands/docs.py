"""`onething docs flows [--check] [--out DIR]`: write docs/flows/ from the declarations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from streams.commands import declared, flowdocs
from streams.config import Settings


def _flows(args: argparse.Namespace, settings: Settings) -> int:
    directory = Path(args.out) if args.out else flowdocs.default_directory()
    # The source tree documents its own flows; installed plug-ins' pages go where --out says.
    pages = flowdocs.render(declared.load(settings, own=not args.out))
    if args.check:
        stale = flowdocs.differences(directory, pages)
        for line in stale:
            print(f"{directory / line}; run onething docs flows", file=sys.stderr)
        if not stale:
            print(f"{directory}: {len(pages)} pages up to date")
        return 1 if stale else 0
    changed = flowdocs.write(directory, pages)
    print(f"{directory}: {len(pages)} pages, {len(changed)} written or removed")
    for file_name in changed:
        print(f"  {file_name}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("docs", help="generate documentation from the declarations")
    parser.add_argument("what", choices=["flows"])
    parser.add_argument("--check", action="store_true", help="exit 1 when the pages are out of date")
    parser.add_argument(
        "--out", help="folder to write, plug-ins included (default: docs/flows, this repository's own flows)"
    )
    parser.set_defaults(func=_flows)
