"""`onething acls [--json] [--apply]`: the broker ACLs the declarations call for, and creating them."""

from __future__ import annotations

import argparse
import json
import sys

from streams.acls import Grant, apply, derive_acls
from streams.config import Settings
from streams.terminal import table


def render(grants: list[Grant]) -> list[str]:
    rows = [(g.principal, g.operation, g.resource, g.pattern, g.name) for g in grants]
    principals = len({g.principal for g in grants})
    return [
        *table(("principal", "operation", "resource", "pattern", "name"), rows),
        f"{len(grants)} ACLs for {principals} principals",
    ]


def _acls(args: argparse.Namespace, settings: Settings) -> int:
    from streams import discovery
    from streams.contracts import default_catalog

    departments = discovery.departments(extra=settings.extra_departments)
    grants = derive_acls(departments, discovery.flows(), default_catalog())
    if args.json:
        print(json.dumps([g.as_dict() for g in grants], indent=2))
    else:
        print("\n".join(render(grants)))
    if not args.apply:
        return 0
    from kafka import KafkaAdminClient

    from streams.security import kafka_options

    admin = KafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, client_id="onething-acls", **kafka_options(settings)
    )
    try:
        failures = apply(admin, grants)
    finally:
        admin.close()
    for failure in failures:
        print(f"onething: not created: {failure}", file=sys.stderr)
    if not failures:
        print(f"created {len(grants)} ACLs on {settings.bootstrap_servers}", file=sys.stderr)
    return 1 if failures else 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("acls", help="the broker ACLs derived from the declarations")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--apply", action="store_true", help="create them on the configured broker (as a super user)"
    )
    parser.set_defaults(func=_acls)
