"""Evidence packs: a case's events in causal order, chained by SHA-256, verifiable offline.

A pack is a header (what it is about, and every writer schema once, by fingerprint), then one
entry per event: its place in the chain (``seq``), the event decoded, the record's Avro bytes as
written, the schema fingerprint, the producing department and agent version, and where it lay in
the log. Each entry's ``hash`` is SHA-256 over the previous hash and the entry's canonical JSON;
the first entry's previous hash is the header's. A trailer repeats the count and the last hash.

Verification needs nothing but the file: it recomputes every hash, checks each schema against its
fingerprint and each event against its Avro bytes, and names the first event altered, removed or
moved. Changing an event and recomputing every hash after it is still caught if the auditor keeps
the trailer's ``head`` hash apart (it is printed on export).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastavro

from streams.replay.chain import Chain
from streams.replay.render import plain
from streams.wire import unframe

FORMAT = "onething-evidence-pack"
VERSION = 1
GENESIS_FIELDS = ("format", "version", "case_id", "exported_at", "events", "schemas")


class PackInvalid(ValueError):
    """The pack does not verify; the message names the first event (or part) that fails."""


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(schema_text: str) -> str:
    """Of the schema's canonical JSON, so whitespace in the registry's copy does not matter."""
    return sha256(canonical(json.loads(schema_text)))


def chain_hash(previous: str, entry: Mapping[str, Any]) -> str:
    """SHA-256 of the previous hash and everything in the entry but its own hash."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return sha256(previous.encode() + canonical(body))


def as_written(value: bytes, schema_text: str) -> dict[str, Any]:
    """A framed record decoded with the schema it was written with, as plain JSON."""
    _, body = unframe(value)
    parsed = fastavro.parse_schema(json.loads(schema_text), named_schemas={})
    return plain(fastavro.schemaless_reader(io.BytesIO(body), parsed, None))


def build_pack(chain: Chain, schemas: Mapping[int, str], *, exported_at: str) -> dict[str, Any]:
    """The pack of a chain; ``schemas`` maps each record's registry id to its writer schema text."""
    texts: dict[str, str] = {}
    entries: list[dict[str, Any]] = []
    for link in chain.links:
        located, event = link.located, link.event
        schema_text = schemas[located.schema_id]
        print_ = fingerprint(schema_text)
        texts[print_] = schema_text
        entries.append(
            {
                "seq": len(entries),
                "event_id": event.event_id,
                "type": event.type,
                "causation_id": event.causation_id,
                "producer": {
                    "department": event.producer,
                    "agent_version": event.envelope["producer"]["agent_version"],
                },
                "log_position": {
                    "topic": located.topic,
                    "partition": located.partition,
                    "offset": located.offset,
                },
                "schema_id": located.schema_id,
                "schema_fingerprint": print_,
                # As written: decoded with the writer's schema, not resolved into today's revision.
                "event": as_written(located.value, schema_text),
                "avro": base64.b64encode(located.value).decode(),
            }
        )
    header = {
        "format": FORMAT,
        "version": VERSION,
        "case_id": chain.case_id,
        "exported_at": exported_at,
        "events": len(entries),
        "schemas": dict(sorted(texts.items())),
    }
    previous = sha256(canonical(header))
    for entry in entries:
        entry["prev"] = previous
        entry["hash"] = previous = chain_hash(previous, entry)
    return {"header": header, "entries": entries, "trailer": {"events": len(entries), "head": previous}}


def write_pack(pack: Mapping[str, Any], path: Path) -> None:
    """JSON Lines for a ``.jsonl`` file (header, entries, trailer), else one JSON document."""
    if path.suffix == ".jsonl":
        lines = [pack["header"], *pack["entries"], pack["trailer"]]
        path.write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
        )
    else:
        path.write_text(json.dumps(pack, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_pack(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackInvalid(f"{path} is not UTF-8 text: bytes were changed") from None
    try:
        if path.suffix == ".jsonl":
            return _read_lines(text)
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackInvalid(f"{path} is not valid JSON (line {exc.lineno}): it was altered") from None


def _read_lines(text: str) -> dict[str, Any]:
    lines = text.splitlines()
    parsed = []
    for number, line in enumerate(lines, 1):
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            what = (
                "the header"
                if number == 1
                else "the trailer"
                if number == len(lines)
                else f"event #{number - 2}"
            )
            raise PackInvalid(f"{what} (line {number}) altered: not valid JSON") from None
    if len(parsed) < 2:
        raise PackInvalid("no header and trailer: not an evidence pack")
    return {"header": parsed[0], "entries": parsed[1:-1], "trailer": parsed[-1]}


@dataclass(frozen=True)
class Verified:
    case_id: str
    events: int
    head: str


def verify_pack(pack: Mapping[str, Any]) -> Verified:
    """Check everything the pack claims; raise PackInvalid naming the first thing that fails."""
    try:
        header, entries, trailer = pack["header"], pack["entries"], pack["trailer"]
    except (KeyError, TypeError):
        raise PackInvalid("not an evidence pack: header, entries or trailer missing") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise PackInvalid("not an evidence pack: the header does not say so")
    schemas: dict[str, str] = header.get("schemas") or {}
    for print_, text in schemas.items():
        if fingerprint(text) != print_:
            raise PackInvalid(f"schema {print_[:12]}… was altered: its text no longer has that fingerprint")
    previous = sha256(canonical(header))
    seqs = [entry.get("seq") for entry in entries]
    for position, entry in enumerate(entries):
        name = _name(entry)
        # Its own content against its own hash first: a changed byte shows here.
        if entry.get("hash") != chain_hash(str(entry.get("prev")), entry):
            raise PackInvalid(f"{name} altered: its content does not match its hash")
        if entry.get("prev") != previous:
            seq = entry.get("seq")
            if position == 0 and seq == 0:
                raise PackInvalid("the header was altered: the first event does not follow it")
            if isinstance(seq, int) and seq > position and position not in seqs[position + 1 :]:
                gone = seq - position
                raise PackInvalid(
                    f"{'the event' if gone == 1 else f'{gone} events'} before {name} removed "
                    f"(it stands at #{position})"
                )
            raise PackInvalid(f"{name} out of order: it stands at #{position}")
        _check_event(entry, schemas, name)
        previous = entry["hash"]
    if trailer.get("events") != len(entries) or header.get("events") != len(entries):
        raise PackInvalid(
            f"{header.get('events')} events exported but {len(entries)} in the pack: the last event removed"
        )
    if trailer.get("head") != previous:
        raise PackInvalid("the trailer's head hash does not match the last event: the end was changed")
    return Verified(str(header.get("case_id")), len(entries), previous)


def _name(entry: Mapping[str, Any]) -> str:
    return f"event #{entry.get('seq')} {entry.get('type')} {entry.get('event_id')}"


def _check_event(entry: Mapping[str, Any], schemas: Mapping[str, str], name: str) -> None:
    """The decoded event must be what its Avro bytes say under its schema."""
    text = schemas.get(entry.get("schema_fingerprint", ""))
    if text is None:
        raise PackInvalid(f"{name}: its schema is not in the pack")
    try:
        value = base64.b64decode(entry["avro"])
        schema_id, _ = unframe(value)
        record = as_written(value, text)
    except Exception as exc:  # corrupt bytes fail in many ways
        raise PackInvalid(f"{name} altered: its Avro bytes do not decode ({type(exc).__name__})") from None
    if schema_id != entry.get("schema_id"):
        raise PackInvalid(
            f"{name} altered: its bytes name schema id {schema_id}, the entry {entry.get('schema_id')}"
        )
    if canonical(record) != canonical(entry["event"]):
        raise PackInvalid(f"{name} altered: the event shown differs from its Avro bytes")
