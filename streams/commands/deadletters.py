"""`onething deadletters list|show|replay`: what the agents could not process, and putting it back."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any

from streams.codec import Codec, DecodeError
from streams.config import Settings
from streams.deadletters import (
    KINDS,
    DeadLetterDesk,
    Letter,
    Original,
    Position,
    RecordGone,
    Selection,
    counts,
    parse_kind,
    parse_time,
    unique,
)
from streams.terminal import pad, table, width

HEX_DUMP_BYTES = 256
DEFAULT_COLUMNS = 160
MIN_REASON_COLUMNS = 24


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size / 1024 / 1024:.1f} MB"


def cut(text: str, columns: int) -> str:
    """At most ``columns`` terminal columns (CJK characters take two), marked with … when cut."""
    if width(text) <= columns:
        return text
    kept, used = [], 0
    for ch in text:
        used += width(ch)
        if used > columns - 1:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def one_line(text: str) -> str:
    return " ".join(text.split())


def letter_info(letter: Letter, replayed: dict[str, Any] | None = None) -> dict[str, Any]:
    """One letter as plain data: what `list --json` prints."""
    source = letter.source
    return {
        "position": str(letter.position),
        "partition": letter.position.partition,
        "offset": letter.position.offset,
        "time": letter.time.isoformat(timespec="seconds"),
        "agent": letter.agent,
        "kind": letter.kind,
        "reason": letter.reason,
        "source": None
        if source is None
        else {"topic": source.topic, "partition": source.partition, "offset": source.offset},
        "key": None if letter.key is None else letter.case_key,
        "size": letter.size,
        "truncated": letter.truncated,
        "replayed": replayed,
    }


def list_data(letters: Sequence[Letter], replayed: dict[Position, dict[str, Any]]) -> dict[str, Any]:
    return {
        "letters": [letter_info(letter, replayed.get(letter.position)) for letter in letters],
        "counts": [{"agent": a, "kind": k, "count": n} for (a, k), n in counts(letters).items()],
    }


def render_list(letters: Sequence[Letter], *, columns: int) -> list[str]:
    """One line per letter, the reason cut to the terminal; then the count by agent and kind."""
    if not letters:
        return ["no dead letters"]
    rows = [
        (
            str(letter.position),
            letter.time.strftime("%Y-%m-%d %H:%M:%S"),
            letter.agent,
            letter.kind,
            letter.source.topic if letter.source else "?",
            letter.case_key,
            size_text(letter.size) + (" ref" if letter.truncated else ""),
        )
        for letter in letters
    ]
    headers = ("letter", "time", "agent", "kind", "source topic", "case", "size")
    # Every column but the reason is laid out whole; the reason gets what the terminal has left,
    # and a few columns even when it has nothing left.
    laid = table(headers, rows, right=(6,))
    used = max(width(line) for line in laid) + 2
    room = max(columns - used, MIN_REASON_COLUMNS)
    reasons = ["reason", "─" * 6, *(cut(one_line(letter.reason), room) for letter in letters)]
    lines = [pad(line, used) + reason for line, reason in zip(laid, reasons, strict=True)]
    noun = "dead letter" if len(letters) == 1 else "dead letters"
    lines += ["", f"{len(letters)} {noun}"]
    tally = [(agent, kind, str(n)) for (agent, kind), n in counts(letters).items()]
    lines += table(("agent", "kind", "letters"), tally, right=(2,))
    return lines


def hex_dump(data: bytes, *, limit: int = HEX_DUMP_BYTES) -> list[str]:
    """``offset  hex bytes  |printable|``, 16 bytes a line."""
    lines = []
    for start in range(0, min(len(data), limit), 16):
        chunk = data[start : start + 16]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{start:08x}  {chunk.hex(' '):<47}  |{text}|")
    return lines


def render_show(
    letter: Letter,
    original: Original | None,
    decoded: tuple[str, dict[str, Any]] | str,
    *,
    problem: str = "",
) -> list[str]:
    """A letter in full: headers, key, size, then the event it holds or its first bytes."""
    where = f"reference to {letter.source}" if letter.truncated else f"from {letter.source}"
    lines = [
        f"dead letter {letter.position} · {letter.time:%Y-%m-%d %H:%M:%S %Z}"
        f" · {letter.kind} · {letter.agent}",
        f"{size_text(letter.size)} ({letter.size} bytes), {where}",
        "headers:",
        *(f"  {k}: {v.decode(errors='replace')}" for k, v in letter.headers),
        f"key: {'(none)' if letter.key is None else letter.case_key}",
    ]
    if original is None:
        return [*lines, problem]
    if letter.truncated:
        lines.append("original (read from its source):")
        lines += [f"  {k}: {v.decode(errors='replace')}" for k, v in original.headers]
    value = original.value or b""
    if isinstance(decoded, tuple):
        full_name, record = decoded
        lines.append(f"event: {full_name}")
        lines += json.dumps(record, ensure_ascii=False, indent=2, default=str).splitlines()
    else:
        shown = min(len(value), HEX_DUMP_BYTES)
        lines.append(f"not an event ({decoded}); first {shown} of {len(value)} bytes:")
        lines += hex_dump(value)
    return lines


def _decode(settings: Settings, value: bytes | None) -> tuple[str, dict[str, Any]] | str:
    """The event in ``value`` with the platform codec, or why it is not one."""
    try:
        Codec.split(value)  # unframed bytes need no registry to be told apart
    except DecodeError as exc:
        return str(exc)
    from streams.startup import connect

    connection = connect(settings, provision_topics=False)
    try:
        contract, record = connection.codec.decode(value)
        return contract.full_name, record
    except DecodeError as exc:
        return str(exc)


def _selection(args: argparse.Namespace) -> Selection:
    return Selection(
        agent=args.agent,
        kind=parse_kind(args.kind) if args.kind else None,
        since=parse_time(args.since) if args.since else None,
        until=parse_time(args.until) if args.until else None,
    )


def _broker_answers(settings: Settings) -> bool:
    from streams.broker import kafka_answers  # answers in seconds, not a 30 s hang
    from streams.security import kafka_options

    if kafka_answers(settings.bootstrap_servers, **kafka_options(settings)):
        return True
    print(f"onething: no Kafka broker answers at {settings.bootstrap_servers}", file=sys.stderr)
    return False


def _list(args: argparse.Namespace, settings: Settings) -> int:
    selection = _selection(args)
    if not _broker_answers(settings):
        return 1
    with DeadLetterDesk(settings, timeout=args.timeout) as desk:
        letters = selection.pick(desk.letters())
        replayed = desk.replayed() if args.json else {}
    if args.json:
        print(json.dumps(list_data(letters, replayed), ensure_ascii=False, indent=2))
    else:
        columns = shutil.get_terminal_size((DEFAULT_COLUMNS, 24)).columns
        print("\n".join(render_list(letters, columns=columns)))
    return 0


def _show(args: argparse.Namespace, settings: Settings) -> int:
    position = Position.parse(args.position)
    if not _broker_answers(settings):
        return 1
    with DeadLetterDesk(settings, timeout=args.timeout) as desk:
        letter = desk.letter(position)
        try:
            original, problem = desk.original(letter), ""
        except RecordGone as gone:
            original, problem = None, str(gone)
    decoded = _decode(settings, original.value) if original else ""
    print("\n".join(render_show(letter, original, decoded, problem=problem)))
    return 0


def _confirm(count: int) -> None:
    if not sys.stdin.isatty():
        raise ValueError(f"replaying {count} dead letters needs --yes (or --dry-run to list them)")
    answer = input(f"replay {count} dead letters? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise ValueError("nothing replayed")


def _describe(letter: Letter) -> str:
    return f"{letter.position} ({letter.kind}, {letter.agent}, case {letter.case_key or '-'})"


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    positions = unique(Position.parse(p) for p in args.positions)
    selection = _selection(args)
    if not _broker_answers(settings):
        return 1
    with DeadLetterDesk(settings, timeout=args.timeout) as desk:
        letters = [desk.letter(p) for p in positions] if positions else desk.letters()
        chosen = selection.pick(letters)
        if positions:
            for letter in letters:
                if not selection.matches(letter):
                    print(f"skipped {letter.position}: not a letter the filters select")
        replayed = {} if args.again else desk.replayed()
        todo = []
        for letter in chosen:
            if note := replayed.get(letter.position):
                copy = f"{note.get('topic')}[{note.get('partition')}]@{note.get('offset')}"
                print(f"skipped {letter.position}: replayed before to {copy} (--again replays it again)")
            else:
                todo.append(letter)
        if not todo:
            print("nothing to replay")
            return 0
        if args.dry_run:
            for letter in todo:
                print(f"would replay {_describe(letter)} to {letter.source}")
            return 0
        if not args.yes:
            _confirm(len(todo))
        failed = 0
        for letter in todo:
            try:
                copy = desk.replay(letter, desk.original(letter))
            except RecordGone as gone:
                print(f"cannot replay {letter.position}: {gone}", file=sys.stderr)
                failed += 1
                continue
            print(f"replayed {_describe(letter)} to {copy}")
    print(f"{len(todo) - failed} of {len(todo)} replayed")
    return 1 if failed else 0


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agent", help="only letters written by this agent (a department, tracker, …)")
    parser.add_argument("--kind", help=f"only letters of this kind: {', '.join(KINDS)}")
    parser.add_argument("--since", help="only letters written at or after this ISO time (Beijing time)")
    parser.add_argument("--until", help="only letters written before this ISO time (Beijing time)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to read the topics")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("deadletters", help="records the agents could not process")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))

    listing = actions.add_parser("list", help="one line per dead letter, and a count by agent and kind")
    _filters(listing)
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    listing.set_defaults(func=_list)

    show = actions.add_parser("show", help="one dead letter in full: headers, key, the event or its bytes")
    show.add_argument("position", help="PARTITION:OFFSET of the letter, as `list` prints it")
    show.add_argument("--timeout", type=float, default=60, help="seconds to read the topics")
    show.set_defaults(func=_show)

    replay = actions.add_parser("replay", help="put letters' original records back on their topics")
    replay.add_argument("positions", nargs="*", help="PARTITION:OFFSET of letters (default: all selected)")
    _filters(replay)
    replay.add_argument("--dry-run", action="store_true", help="say what would be replayed, replay nothing")
    replay.add_argument("--yes", action="store_true", help="do not ask before replaying")
    replay.add_argument("--again", action="store_true", help="also replay letters replayed before")
    replay.set_defaults(func=_replay)
