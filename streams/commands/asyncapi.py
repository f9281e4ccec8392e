"""`onething asyncapi [-o FILE]`: the platform's AsyncAPI 3.0 document, from the declarations."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from streams.asyncapi import asyncapi_document
from streams.commands import declared
from streams.commands.describe import to_json
from streams.config import Settings
from streams.contracts import default_catalog


def _version() -> str:
    try:
        return version("onething")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0"


def _asyncapi(args: argparse.Namespace, settings: Settings) -> int:
    declarations = declared.load(settings)
    document, missing = asyncapi_document(
        declarations.departments,
        declarations.flows,
        default_catalog(),
        version=_version(),
        servers=[s for s in settings.bootstrap_servers.split(",") if s],
    )
    for line in missing:
        print(f"onething: left out: {line} (see onething graph --check)", file=sys.stderr)
    text = to_json(document) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(
            f"{args.output}: {len(document['channels'])} channels, {len(document['operations'])} operations",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("asyncapi", help="an AsyncAPI 3.0 document of every topic and who uses it")
    parser.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead of standard output")
    parser.set_defaults(func=_asyncapi)
