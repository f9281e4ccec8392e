"""The `onething` command line."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from importlib import import_module

from streams.commands.arguments import count, positive_count, positive_number
from streams.config import Settings

# Each of these modules adds its own subcommands: `register(commands)` with argparse subparsers,
# setting `func(args, settings) -> int` as the default.
COMMAND_MODULES: list[str] = [
    "streams.commands.departments",
    "streams.commands.flows",
    "streams.commands.graph",
    "streams.commands.asyncapi",
    "streams.commands.new_agent",
    "streams.commands.docs",
    "streams.commands.report",
    "streams.commands.coverage",
    "streams.commands.discover",
    "streams.commands.acls",
    "streams.commands.deadletters",
    "streams.commands.seal",
    "streams.commands.bench",
    "streams.issues.cli",
    "streams.dashboard.cli",
    "streams.commands.replay",
]


# Errors in what the user asked for (as opposed to the platform failing): no class name, exit 2.
USER_ERRORS: tuple[type[Exception], ...] = (ValueError, LookupError)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        self.exit(2, f"onething: {message} (see onething --help)\n")


def _broker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.broker import broker_command

    return broker_command(args.action, settings)


def _schemas_check(args: argparse.Namespace, settings: Settings) -> int:
    from streams.contracts import load_catalog
    from streams.schema_check import check_schemas

    problems = check_schemas()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    catalog = load_catalog()
    revisions = sum(len(c.revisions) for c in catalog)
    packages = f" (with the packages {', '.join(catalog.packages)})" if catalog.packages else ""
    print(f"{len(catalog)} contracts, {revisions} revisions{packages}: valid and BACKWARD compatible")
    return 0


def _topics(args: argparse.Namespace, settings: Settings) -> int:
    from streams.contracts import default_catalog
    from streams.security import kafka_options
    from streams.topics import declared_topics, provision

    outcome = provision(
        settings.bootstrap_servers,
        declared_topics(default_catalog(), partitions=settings.partitions),
        **kafka_options(settings),
    )
    for topic, what in sorted(outcome.items()):
        print(f"{what:<8} {topic}")
    return 0


def _registry(args: argparse.Namespace, settings: Settings) -> int:
    from streams.registry.server import serve_forever

    serve_forever(settings)
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from streams import discovery
    from streams.flows import FlowMap
    from streams.identifiers import has_own_token_key
    from streams.prereview import PreReview
    from streams.runtime import run_worker
    from streams.seals import Keyring
    from streams.startup import connect

    if not args.demo and not has_own_token_key():
        # Citizen tokens made with the public demo key could be reversed by anyone who has it.
        print(
            "onething: set ONETHING_TOKEN_KEY to this deployment's secret key "
            "(not the demo key), or pass --demo for a local demo",
            file=sys.stderr,
        )
        return 2
    seals = Keyring.from_env()
    if not args.demo and seals.is_demo:
        # Anyone can make a seal with the public demo keys: it would prove nothing.
        print(
            "onething: set ONETHING_SEAL_KEY_DIR to this deployment's seal keys "
            "(`onething seal keygen DIR`), or pass --demo for a local demo",
            file=sys.stderr,
        )
        return 2
    chosen = [n for n in (args.departments or "").split(",") if n]
    found = discovery.discover(extra=settings.extra_departments)
    # A broken plug-in is left out, saying why; everything else runs.
    for refusal in found.refusals:
        print(f"onething: {refusal}; running the others without it", file=sys.stderr)
    departments = [] if args.no_departments else discovery.chosen(found.departments, chosen)
    flow_map = None if args.no_tracker else FlowMap(list(found.flows), list(found.departments))
    if not departments and flow_map is None:
        print("onething: nothing to run: --no-departments and --no-tracker together", file=sys.stderr)
        return 2
    # Every flow's lead pre-reviews its applications against all departments' rules (智能预审).
    pre_review = PreReview(FlowMap(list(found.flows), list(found.departments)))
    connection = connect(settings)
    run_worker(
        connection,
        departments,
        flow_map,
        app_id=args.app_id or _app_id(args, departments),
        start=args.start,
        pre_review=pre_review,
        seals=seals,
    )
    return 0


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from streams import discovery
    from streams.eventlog import EventLog
    from streams.service_desk import ServiceDesk
    from streams.simulate import (
        case_ids,
        case_summary,
        pick_flows,
        submit_cases,
        submitted_lines,
        wait_for_outcomes,
    )
    from streams.startup import connect

    flows = pick_flows(discovery.flows(), args.flow)
    connection = connect(settings, wait_seconds=args.timeout)
    log, desk = EventLog(connection), ServiceDesk(connection, timeout=args.timeout)
    try:
        cases = submit_cases(desk, flows, cases=args.cases, rate=args.rate, seed=args.seed)
        print("\n".join(submitted_lines(cases)), file=sys.stderr)
        finished = wait_for_outcomes(log, cases, args.timeout)
        summary = case_summary(log, cases) | {"case_ids": case_ids(cases)}
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0 if finished else 1
    finally:
        desk.close()
        log.close()


def _case_show(args: argparse.Namespace, settings: Settings) -> int:
    from streams.demo import describe, display_names
    from streams.replay.select import case_history

    events = case_history(settings, args.case_id)
    if not events:
        raise LookupError(f"no case {args.case_id} in the event log")
    print(f"{args.case_id}: {len(events)} events, each with the event that caused it")
    print("\n".join(describe(events, display_names())))
    return 0


def _start_position(text: str):
    from streams.start_position import parse_start

    try:
        return parse_start(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _app_id(args: argparse.Namespace, departments: list) -> str:
    """Faust keeps one committed offset per topic partition per app, shared by all its agents, so
    a worker running only some departments must not share its group with one running others."""
    if not args.departments and not args.no_departments and not args.no_tracker:
        return "onething"
    parts = [d.name for d in departments] + ([] if args.no_tracker else ["tracker"])
    return "onething-" + "-".join(sorted(parts))


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from streams.demo import run_demo

    return run_demo(
        settings,
        timeout=args.timeout,
        once=args.once,
        as_json=args.json,
        cases=args.cases,
        issues=args.issues,
        bundles=args.bundles,
        seed=args.seed,
        rate=args.rate,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="onething", description="OneThing: 高效办成一件事 on Kafka")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    broker = commands.add_parser("broker", help="the local Apache Kafka broker")
    broker.add_argument("action", choices=["up", "down", "status", "install"])
    broker.set_defaults(func=_broker)

    schemas = commands.add_parser("schemas", help="the Avro contracts in schemas/")
    schemas.add_argument("action", choices=["check"])
    schemas.set_defaults(func=_schemas_check)

    topics = commands.add_parser("topics", help="provision the declared topics")
    topics.add_argument("action", choices=["provision"])
    topics.set_defaults(func=_topics)

    registry = commands.add_parser("registry", help="serve the embedded schema registry")
    registry.add_argument("action", choices=["serve"])
    registry.set_defaults(func=_registry)

    run = commands.add_parser("run", help="run departments and the case tracker")
    run.add_argument("--departments", help="comma-separated department names (default: all)")
    run.add_argument("--no-tracker", action="store_true", help="do not run the case tracker")
    run.add_argument("--no-departments", action="store_true", help="run only the case tracker")
    run.add_argument(
        "--app-id",
        help="consumer group (default: onething for everything, else derived from what runs)",
    )
    run.add_argument(
        "--demo",
        action="store_true",
        help="allow the public demo keys for citizen tokens and seals (local demos only)",
    )
    run.add_argument(
        "--from",
        dest="start",
        type=_start_position,
        default="earliest",
        metavar="earliest|latest|TIME",
        help="where a new consumer group starts (default earliest; a group with offsets resumes)",
    )
    run.set_defaults(func=_run)

    demo = commands.add_parser("demo", help="run every flow and the issue loop, and show what happened")
    demo.add_argument("--once", action="store_true", help="skip the timelines: simulate, wait, summarize")
    demo.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    demo.add_argument("--cases", type=positive_count, default=2, help="applications per flow (default 2)")
    demo.add_argument("--issues", type=count, default=12, help="enterprise issues (default 12)")
    demo.add_argument(
        "--bundles", type=count, default=1, help="一类事 requests per declared bundle (default 1)"
    )
    demo.add_argument("--timeout", type=float, default=300, help="seconds to wait for everything to end")
    demo.add_argument("--seed", type=int, help="make the simulated applicants reproducible")
    demo.add_argument(
        "--rate",
        type=positive_number,
        help="applications per second (default 10, what one worker on two cores keeps up with)",
    )
    demo.set_defaults(func=_demo)

    simulate = commands.add_parser("simulate", help="publish realistic applications and wait for them")
    simulate.add_argument("--flow", default="all", help="a flow name, or all (default)")
    simulate.add_argument("--cases", type=positive_count, default=5, help="applications per flow (default 5)")
    simulate.add_argument("--rate", type=positive_number, help="at most this many applications per second")
    simulate.add_argument("--seed", type=int, help="make the applicants reproducible")
    simulate.add_argument(
        "--timeout",
        type=float,
        default=300,
        help="seconds to wait for the broker, the registry and the outcomes (default 300)",
    )
    simulate.set_defaults(func=_simulate)

    cases = commands.add_parser("cases", help="the cases in the event log, and one case's history")
    case_commands = cases.add_subparsers(dest="action", required=True, parser_class=_Parser)
    show = case_commands.add_parser("show", help="every event of a case, who emitted it and why")
    show.add_argument("case_id")
    show.set_defaults(func=_case_show)
    import_module("streams.commands.cases").register(case_commands)

    for module in COMMAND_MODULES:
        import_module(module).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    try:
        return func(args, Settings.from_env())
    except KeyboardInterrupt:
        return 130
    except USER_ERRORS as exc:
        print(f"onething: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # operators get one line; tracebacks stay behind ONETHING_DEBUG
        if _debug():
            raise
        print(f"onething: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _debug() -> bool:
    import os

    return bool(os.environ.get("ONETHING_DEBUG"))


if __name__ == "__main__":
    sys.exit(main())
