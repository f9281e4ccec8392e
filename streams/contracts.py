"""The Avro contracts in schemas/: one record type per topic, each topic's revisions in order.

Layout: ``schemas/envelope.avsc`` plus ``schemas/<area>/<event_name>.v<major>/<revision>.avsc``.
The topic of ``schemas/market_regulation/business_license_issued.v1/`` is
``gov.market_regulation.business_license_issued.v1`` and its record is
``gov.market_regulation.BusinessLicenseIssued``. Event files name the envelope as
``onething.Envelope``; loading inlines it so every schema handed to a registry is self-contained.

Installed packages ship contracts of their own through the ``onething.schemas`` entry-point group,
each naming a folder laid out like schemas/ (without an envelope):

    [project.entry-points."onething.schemas"]
    retirement = "onething_retirement.schemas"     # a package (its folder) or a str/Path attribute

Every command reads the project's folder (``ONETHING_SCHEMAS`` moves it) plus every package's.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

ENVELOPE_NAME = "onething.Envelope"
TOPIC_PREFIX = "gov"
SCHEMAS_GROUP = "onething.schemas"

log = logging.getLogger(__name__)


class ContractError(Exception):
    """A schema file that cannot be a contract: the message names the file and the problem."""


def schemas_dir() -> Path:
    """The project's own contracts: schemas/ beside the code, or the folder ``ONETHING_SCHEMAS`` names."""
    configured = os.environ.get("ONETHING_SCHEMAS")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "schemas"


def _folder_of(target: object) -> Path:
    """A package (a folder of .avsc files, ``__init__.py`` optional) or a path to one."""
    if isinstance(target, str | Path):
        return Path(target)
    locations = list(getattr(target, "__path__", ()))
    if not locations:
        raise ContractError(f"{target!r} is neither a package nor a path")
    return Path(locations[0])


def package_schema_dirs() -> dict[str, Path]:
    """Each installed package's contract folder, by ``<distribution> (entry point <name>)``.

    A folder that cannot be found raises ContractError naming the entry point.
    """
    found: dict[str, Path] = {}
    for entry in sorted(entry_points(group=SCHEMAS_GROUP), key=lambda e: e.name):
        origin = f"{entry.dist.name if entry.dist else '?'} (onething.schemas entry point {entry.name!r})"
        try:
            folder = _folder_of(entry.load())
        except Exception as exc:  # a broken package: say which, whatever it raised
            raise ContractError(f"{origin}: cannot load {entry.value!r}: {exc}") from None
        if not folder.is_dir():
            raise ContractError(f"{origin}: {folder} is not a folder")
        found[origin] = folder
    return found


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Contract:
    """One topic's record type and the history of its schema, oldest revision first.

    Names and fields are computed once: every event a worker publishes asks for them.
    """

    name: str
    namespace: str
    major: int
    revisions: tuple[dict[str, Any], ...]
    paths: tuple[Path, ...]

    @cached_property
    def full_name(self) -> str:
        return f"{self.namespace}.{self.name}"

    @cached_property
    def topic(self) -> str:
        return f"{self.namespace}.{snake_case(self.name)}.v{self.major}"

    @property
    def subject(self) -> str:
        """Confluent's TopicNameStrategy subject for record values."""
        return f"{self.topic}-value"

    @property
    def schema(self) -> dict[str, Any]:
        return self.revisions[-1]

    @cached_property
    def payload_fields(self) -> list[dict[str, Any]]:
        payload = next(f for f in self.schema["fields"] if f["name"] == "payload")
        return payload["type"]["fields"]

    @cached_property
    def payload_names(self) -> frozenset[str]:
        return frozenset(field["name"] for field in self.payload_fields)


class Catalog:
    """Every contract, looked up by short name, full name or topic."""

    def __init__(
        self,
        envelope: dict[str, Any],
        contracts: list[Contract],
        *,
        packages: Mapping[str, Path] | None = None,
        refused: Mapping[str, str] | None = None,
    ) -> None:
        self.envelope = envelope
        # Package folders read besides the project's, and those refused (origin → reason).
        self.packages = dict(packages or {})
        self.refused = dict(refused or {})
        self.contracts = sorted(contracts, key=lambda c: c.topic)
        self._by_key: dict[str, Contract] = {}
        for contract in self.contracts:
            for key in (contract.name, contract.full_name, contract.topic):
                self._by_key[key] = contract

    def __getitem__(self, key: str) -> Contract:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no contract named {key!r} in schemas/ or any package's") from None

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def __iter__(self):
        return iter(self.contracts)

    def __len__(self) -> int:
        return len(self.contracts)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ContractError(f"{path}: not valid JSON ({exc})") from None


def inline_envelope(schema: dict[str, Any], envelope: dict[str, Any]) -> dict[str, Any]:
    resolved = copy.deepcopy(schema)
    for field in resolved.get("fields", []):
        if field.get("type") == ENVELOPE_NAME:
            field["type"] = copy.deepcopy(envelope)
    return resolved


def _load_contract(topic_dir: Path, area: str, envelope: dict[str, Any]) -> Contract:
    match = re.fullmatch(r"([a-z0-9_]+)\.v(\d+)", topic_dir.name)
    if not match:
        raise ContractError(f"{topic_dir}: folder must be named <event_name>.v<major>")
    files = sorted(topic_dir.glob("*.avsc"), key=lambda p: int(p.stem) if p.stem.isdigit() else -1)
    if not files or any(not p.stem.isdigit() for p in files):
        raise ContractError(f"{topic_dir}: needs revisions named 1.avsc, 2.avsc, …")
    revisions = tuple(inline_envelope(_read_json(p), envelope) for p in files)
    latest = revisions[-1]
    name, namespace = latest.get("name", ""), latest.get("namespace", "")
    expected_ns = f"{TOPIC_PREFIX}.{area}"
    if namespace != expected_ns:
        raise ContractError(f"{files[-1]}: namespace must be {expected_ns!r}, not {namespace!r}")
    if snake_case(name) != match.group(1):
        raise ContractError(f"{files[-1]}: record {name!r} does not match folder {topic_dir.name!r}")
    field_names = [f["name"] for f in latest.get("fields", [])]
    if field_names != ["envelope", "payload"]:
        raise ContractError(f"{files[-1]}: fields must be exactly 'envelope' then 'payload'")
    return Contract(name, namespace, int(match.group(2)), revisions, tuple(files))


def _load_folder(root: Path, envelope: dict[str, Any]) -> list[Contract]:
    return [
        _load_contract(topic_dir, area_dir.name, envelope)
        for area_dir in sorted(p for p in root.iterdir() if p.is_dir())
        for topic_dir in sorted(p for p in area_dir.iterdir() if p.is_dir())
    ]


def _clashes(contracts: list[Contract], taken: Mapping[str, Contract]) -> list[str]:
    return [
        f"{c.paths[-1]}: topic {c.topic} is already declared by {taken[c.topic].paths[-1]}"
        for c in contracts
        if c.topic in taken
    ]


def load_catalog(
    root: Path | None = None, *, packages: Mapping[str, Path] | None = None, strict: bool = True
) -> Catalog:
    """The contracts of ``root`` (default: the project's) and of ``packages`` (default: when no root
    is given, every installed package's).

    ``strict``: a broken package folder raises ContractError; otherwise it is left out, logged and
    listed in ``Catalog.refused``, so one broken plug-in does not stop the platform.
    """
    if packages is None:
        packages = {} if root else _installed_packages(strict)
    root = root or schemas_dir()
    envelope = _read_json(root / "envelope.avsc")
    contracts = _load_folder(root, envelope)
    by_topic = {c.topic: c for c in contracts}
    read, refused = {}, {}
    for origin, folder in packages.items():
        try:
            theirs = _load_folder(folder, envelope)
            clashes = _clashes(theirs, by_topic)
            if clashes:
                raise ContractError("; ".join(clashes))
        except ContractError as exc:
            if strict:
                raise ContractError(f"{origin}: {exc}") from None
            log.error("refused the contracts of %s: %s", origin, exc)
            refused[origin] = str(exc)
            continue
        read[origin] = folder
        by_topic |= {c.topic: c for c in theirs}
    return Catalog(envelope, list(by_topic.values()), packages=read, refused=refused)


def _installed_packages(strict: bool) -> dict[str, Path]:
    try:
        return package_schema_dirs()
    except ContractError as exc:
        if strict:
            raise
        log.error("refused a package's contracts: %s", exc)
        return {}


@cache
def default_catalog() -> Catalog:
    """What the platform runs on: a broken plug-in's contracts are refused (and logged), not fatal."""
    return load_catalog(strict=False)
