"""`onething seal …`: 电子印章 keys, a case's sealed certificates, and offline verification.

onething seal keygen DIR          a deployment's keyset: DIR/<department>.pem and DIR/public-keys.json
onething seal keys                the public key file of the keys in use (to publish)
onething seal show CASE_ID        the case's certificates and licences with their seals, as JSON
onething seal verify FILE|-       check them against the published keys, offline
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from streams import discovery
from streams.config import Settings
from streams.seals import PUBLIC_KEYS_FILE, SEAL_FIELD, Keyring, SealError, generate, sealed_document, verify


def _departments() -> list[str]:
    return sorted(d.name for d in discovery.departments())


def _keygen(args: argparse.Namespace, settings: Settings) -> int:
    published = generate(Path(args.directory), _departments())
    print(f"seal keys in {args.directory} (keep the .pem files secret); publish {published}")
    return 0


def _keys(args: argparse.Namespace, settings: Settings) -> int:
    print(json.dumps(Keyring.from_env().public_keys(_departments()), indent=2))
    return 0


def _show(args: argparse.Namespace, settings: Settings) -> int:
    from streams.eventlog import history

    events = [e for e in history(settings, args.case_id) if e.payload.get(SEAL_FIELD)]
    if not events:
        raise LookupError(f"no sealed certificate in case {args.case_id}")
    documents = [sealed_document(e.type, e.envelope, e.payload) for e in events]
    print(json.dumps(documents[0] if len(documents) == 1 else documents, ensure_ascii=False, indent=2))
    return 0


def published_keys(path: str | None) -> tuple[dict[str, Any], str]:
    """The public keys to verify with, and where they came from."""
    path = path or os.environ.get("ONETHING_SEAL_PUBLIC_KEYS")
    if not path and os.environ.get("ONETHING_SEAL_KEY_DIR"):
        path = str(Path(os.environ["ONETHING_SEAL_KEY_DIR"]) / PUBLIC_KEYS_FILE)
    if not path:
        return Keyring().public_keys(_departments()), "the public demo keys"
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")), path
    except (OSError, ValueError) as exc:
        raise SealError(f"cannot read the public key file {path}: {exc}") from None


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    keys, source = published_keys(args.keys)
    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        loaded = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"onething: seal verify: not a sealed certificate: {exc}", file=sys.stderr)
        return 1
    documents = loaded if isinstance(loaded, list) else [loaded]
    for document in documents:
        try:
            verified = verify(document, keys)
        except SealError as exc:
            print(f"onething: seal verify: {exc}", file=sys.stderr)
            return 1
        certificate = document["certificate"]
        demo = " — a DEMO key, which proves nothing" if verified.demo else ""
        print(
            f"✓ {certificate['type']} {certificate['event_id']} (case {certificate['case_id']}) "
            f"sealed by {verified.department}, key {verified.key_id}{demo}"
        )
    print(f"{len(documents)} seal(s) verified with {source}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    seal = commands.add_parser("seal", help="电子印章: seal keys, sealed certificates, offline verification")
    actions = seal.add_subparsers(dest="action", required=True, parser_class=type(seal))
    keygen = actions.add_parser(
        "keygen", help="make a keyset: one private key per department, and the file to publish"
    )
    keygen.add_argument("directory")
    keygen.set_defaults(func=_keygen)
    keys = actions.add_parser("keys", help="print the public key file of the keys in use")
    keys.set_defaults(func=_keys)
    show = actions.add_parser("show", help="a case's certificates and licences with their seals, as JSON")
    show.add_argument("case_id")
    show.set_defaults(func=_show)
    check = actions.add_parser("verify", help="verify sealed certificates offline (FILE, or - for stdin)")
    check.add_argument("file")
    check.add_argument("--keys", help="the published public key file (default: ONETHING_SEAL_PUBLIC_KEYS)")
    check.set_defaults(func=_verify)
