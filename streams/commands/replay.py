"""`onething replay` and `onething audit`: how a case or issue went, from the log, and proof of it.

onething replay (--case ID | --issue ID | --subject S | --flow F | --since T | --until T)
                [--json | --jsonl FILE | --html FILE] [--progress]
onething replay --rebuild [--app-id GROUP]
onething audit export (--case ID | --issue ID) -o FILE
onething audit verify FILE
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from streams.config import Settings


def register(commands: argparse._SubParsersAction) -> None:
    replay = commands.add_parser(
        "replay", help="a case, issue, enterprise, flow or time window, from the log"
    )
    which = replay.add_argument_group("what to replay (time windows combine with the others)")
    which.add_argument("--case", dest="case_id", help="one case (办件) id")
    which.add_argument("--issue", dest="issue_id", help="one enterprise issue id, e.g. QY-3F2A9C0D1B7E")
    which.add_argument("--subject", help="an enterprise's USCC or a citizen token: all its cases")
    which.add_argument("--flow", help="every case of one 一件事 flow (onething flows list)")
    which.add_argument("--since", help="events at or after this ISO time (Beijing time without a zone)")
    which.add_argument("--until", help="events at or before this ISO time")
    out = replay.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON document")
    out.add_argument("--jsonl", type=Path, metavar="FILE", help="write one event a line to FILE")
    out.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained HTML report to FILE")
    replay.add_argument(
        "--progress", action="store_true", help="a progress bar on stderr even off a terminal"
    )
    replay.add_argument(
        "--rebuild",
        action="store_true",
        help="recompute the tracker's and issue loop's state from offset zero and compare with live",
    )
    replay.add_argument("--app-id", default="onething", help="the worker's consumer group, for --rebuild")
    replay.set_defaults(func=_replay)

    audit = commands.add_parser("audit", help="tamper-evident evidence packs of a case or issue")
    actions = audit.add_subparsers(dest="action", required=True, parser_class=type(audit))
    export = actions.add_parser("export", help="write a case's or issue's events with a SHA-256 hash chain")
    chosen = export.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--case", dest="case_id")
    chosen.add_argument("--issue", dest="issue_id")
    export.add_argument("-o", "--output", type=Path, required=True, help="FILE.json or FILE.jsonl")
    export.set_defaults(func=_export)
    verify = actions.add_parser("verify", help="verify a pack offline; names the first event that fails")
    verify.add_argument("pack", type=Path)
    verify.set_defaults(func=_verify)


def _selection(args: argparse.Namespace):
    from streams import discovery
    from streams.deadletters import parse_time
    from streams.replay.select import Selection

    if args.case_id and args.issue_id:
        raise ValueError("--case and --issue name one thing each; give one of them")
    if not any((args.case_id, args.issue_id, args.subject, args.flow, args.since, args.until)):
        raise ValueError("say what to replay: --case, --issue, --subject, --flow, --since or --until")
    flow = None
    if args.flow:
        flows = {f.name: f for f in discovery.flows()}
        if args.flow not in flows:
            raise LookupError(f"no flow {args.flow!r}; `onething flows list` shows them")
        flow = flows[args.flow]
    return Selection(
        case_id=args.case_id or args.issue_id,
        subject=args.subject,
        flow=flow,
        since=parse_time(args.since) if args.since else None,
        until=parse_time(args.until) if args.until else None,
    )


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    from streams.demo import display_names
    from streams.replay import render
    from streams.replay.progress import ProgressLine
    from streams.replay.select import opened, replay

    if args.rebuild:
        return _rebuild(args, settings)
    selection = _selection(args)
    reading = ProgressLine("reading", enabled=True if args.progress else None)
    cases = ProgressLine("cases", enabled=True if args.progress else None)
    with opened(settings, progress=reading) as reader:
        chains = replay(reader, selection, progress=cases)
        undecodable = reader.undecodable
    reading.finish()
    cases.finish()
    if not chains:
        raise LookupError(f"nothing in the event log for {selection.describe()}")
    names = display_names()
    if args.json:
        document = [render.chain_record(c, names) for c in chains]
        print(json.dumps(document[0] if selection.case_id else document, ensure_ascii=False, indent=2))
    elif args.jsonl:
        lines = render.jsonl(chains, names)
        args.jsonl.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"{len(lines)} events of {len(chains)} case(s) written to {args.jsonl}")
    elif args.html:
        page = render.html_report(chains, names, title=f"OneThing replay: {selection.describe()}")
        args.html.write_text(page, encoding="utf-8")
        print(f"{len(chains)} case(s) written to {args.html}")
    else:
        for number, chain in enumerate(chains):
            if number:
                print()
            print("\n".join(render.text(chain, names)))
    if undecodable:
        print(
            f"note: {undecodable} record(s) could not be decoded (see onething deadletters list)",
            file=sys.stderr,
        )
    return 0


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from streams.replay.progress import ProgressLine
    from streams.replay.rebuild import rebuild
    from streams.replay.select import opened

    reading = ProgressLine("reading", enabled=True if args.progress else None)
    with opened(settings, progress=reading) as reader:
        counts, differences = rebuild(reader, app_id=args.app_id)
    reading.finish()
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    for difference in differences:
        print(difference)
    if differences:
        print(f"rebuilt {summary}: {len(differences)} difference(s) from the live state")
        return 1
    print(f"rebuilt {summary} from offset zero: identical to the live state")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from streams.registry.client import RegistryClient
    from streams.replay.audit import build_pack, write_pack
    from streams.replay.chain import build_chain
    from streams.replay.select import opened

    case_id = args.case_id or args.issue_id
    with opened(settings) as reader:
        chain = build_chain(case_id, reader.case(case_id))
        client = RegistryClient(reader.connection.registry_url, token=settings.registry_token)
        schemas = {
            sid: client.schema_by_id(sid) for sid in sorted({link.located.schema_id for link in chain.links})
        }
    if not chain.links:
        raise LookupError(f"no case or issue {case_id} in the event log")
    pack = build_pack(chain, schemas, exported_at=datetime.now(UTC).isoformat(timespec="seconds"))
    write_pack(pack, args.output)
    head = pack["trailer"]["head"]
    print(f"{len(chain.links)} events of {case_id} written to {args.output}; head hash {head}")
    return 0


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    from streams.replay.audit import PackInvalid, read_pack, verify_pack

    if not args.pack.is_file():
        raise LookupError(f"no file {args.pack}")
    try:
        verified = verify_pack(read_pack(args.pack))
    except PackInvalid as exc:
        print(f"onething: {args.pack}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.pack}: {verified.events} events of {verified.case_id} verified; head hash {verified.head}")
    return 0
