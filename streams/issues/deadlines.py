"""Time limits of the issue loop, in working days, per city.

Defaults follow Shandong's published rule (verify 1, reply 3, resolve 15, complex cases 30 working
days); a bad rating must be fixed within 15 (好差评). A city overrides any of them, e.g. Zaozhuang's
1 / 2 / 10 / 25. Deployments add or change cities with ``ONETHING_ISSUE_DEADLINES``: a path to a
TOML or JSON file, or inline JSON::

    [default]
    reply = 3
    [cities.zaozhuang]
    reply = 2
    resolve = 10

Values missing for a city come from the default.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from streams.calendar import add_working_days
from streams.tracker import from_millis, millis

ENV = "ONETHING_ISSUE_DEADLINES"


@dataclass(frozen=True, kw_only=True)
class DeadlineRules:
    """Working days allowed for each step of one city's loop."""

    accept: float = 1  # raised → accepted (受理)
    reply: float = 3  # raised → first reply, interim or final (答复)
    resolve: float = 15  # raised → closed, one department (办结)
    complex: float = 30  # raised → closed, lead + assisting departments or a joint meeting
    fix: float = 15  # bad rating → fixed (整改)
    objection: float = 1  # assignment → the latest moment to object to it (异议)
    extension_notice: float = 1  # an extension must be asked this long before the deadline
    extension_max: float = 15  # the most one extension may add
    supervised: float = 5  # escalation → closed, under supervision (督办时限)
    stuck_grace: float = 1  # overdue with no escalation this long → an alert (IssueStuck)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"deadline {f.name!r} must be a non-negative number of working days")


@dataclass(frozen=True)
class DeadlineBook:
    """The default rules and each city's."""

    default: DeadlineRules = field(default_factory=DeadlineRules)
    cities: Mapping[str, DeadlineRules] = field(default_factory=dict)

    def for_city(self, city: str | None) -> DeadlineRules:
        return self.cities.get((city or "").lower(), self.default)


# Published rules (see docs/issues.md); the default is Shandong's.
BUILT_IN: dict[str, dict[str, float]] = {
    "zaozhuang": {"accept": 1, "reply": 2, "resolve": 10, "complex": 25},
}


def due(start_ms: int, working_days: float) -> int:
    """The deadline ``working_days`` after ``start_ms`` on the platform calendar, in ms."""
    return millis(add_working_days(from_millis(start_ms), working_days))


def build_book(config: Mapping[str, Any], *, source: str = "configuration") -> DeadlineBook:
    """Rules from ``{"default": {...}, "cities": {name: {...}}}`` laid over the built-in ones."""
    unknown = set(config) - {"default", "cities"}
    if unknown:
        raise ValueError(f"{source}: unknown section {', '.join(sorted(unknown))}")
    default = _rules(DeadlineRules(), config.get("default", {}), f"{source} [default]")
    cities = {name: _rules(default, values, f"{source} [{name}]") for name, values in BUILT_IN.items()}
    for name, values in (config.get("cities") or {}).items():
        base = cities.get(name.lower(), default)
        cities[name.lower()] = _rules(base, values, f"{source} [cities.{name}]")
    return DeadlineBook(default, cities)


def _rules(base: DeadlineRules, values: Mapping[str, Any], where: str) -> DeadlineRules:
    known = {f.name for f in fields(DeadlineRules)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"{where}: unknown deadline {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    try:
        return replace(base, **values)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def load_book(env: Mapping[str, str] | None = None) -> DeadlineBook:
    """The built-in book, changed by ``ONETHING_ISSUE_DEADLINES`` when it is set."""
    spec = (os.environ if env is None else env).get(ENV, "").strip()
    if not spec:
        return build_book({})
    if spec.startswith("{"):
        try:
            return build_book(json.loads(spec), source=ENV)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{ENV}: not valid JSON ({exc})") from None
    path = Path(spec)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{ENV}: cannot read {path}: {exc.strerror}") from None
    try:
        config = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    return build_book(config, source=str(path))
