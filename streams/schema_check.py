"""`onething schemas check`: every contract parses and every revision is BACKWARD compatible."""

from __future__ import annotations

import json
from pathlib import Path

from streams.compatibility import parse, problems
from streams.contracts import ContractError, load_catalog

DEFAULT_LEVEL = "BACKWARD"


def check_schemas(root: Path | None = None, *, level: str = DEFAULT_LEVEL) -> list[str]:
    """Return every problem found, each naming the schema file; empty means all is well."""
    try:
        catalog = load_catalog(root)
    except ContractError as exc:
        return [str(exc)]
    found: list[str] = []
    for contract in catalog:
        for index, (path, revision) in enumerate(zip(contract.paths, contract.revisions, strict=True)):
            try:
                parse(json.dumps(revision))
            except Exception as exc:  # avro raises SchemaParseException and friends
                found.append(f"{path}: invalid Avro schema: {exc}")
                continue
            history = list(contract.revisions[:index])
            if history:
                found.extend(
                    f"{path}: not {level} compatible with {contract.paths[index - 1].name}: {p}"
                    for p in problems(level, revision, history)
                )
    return found
