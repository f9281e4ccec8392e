"""Departments and flows are found through entry points, so a third party plugs in as a package.

[project.entry-points."onething.departments"]
water_supply = "acme_water.department:department"          # a Department
human_resources_retirement = "acme_pension.hr:extension"   # a DepartmentExtension of human_resources

A package's extension is merged into the department it names: one department, one agent. What
cannot run is refused with the reason and logged, and everything else runs on: a plug-in that fails
to import, a second department of a name already taken (both packages named), an extension of a
department nobody declares, and, checked against the contracts, an event without a schema or a
`when` that does not fit (streams/validation.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from streams.bundles import Bundle
from streams.contracts import Catalog, default_catalog
from streams.coverage import ServiceArea
from streams.department import Department, DepartmentExtension
from streams.flows import Flow
from streams.validation import flow_problems, matter_problems

DEPARTMENTS_GROUP = "onething.departments"
FLOWS_GROUP = "onething.flows"
BUNDLES_GROUP = "onething.bundles"
SERVICE_AREAS_GROUP = "onething.service_areas"
# The distribution of this repository: its declarations come first and are "the project's own".
PROJECT = "onething"

log = logging.getLogger(__name__)


class DiscoveryError(RuntimeError):
    pass


@dataclass(frozen=True)
class Origin:
    """Where a declaration came from: a package's entry point, or a module named while developing."""

    package: str
    entry_point: str
    value: str

    def __str__(self) -> str:
        if not self.entry_point:
            return self.value
        return f"{self.value} (package {self.package}, entry point {self.entry_point})"

    @property
    def own(self) -> bool:
        return self.package == PROJECT


@dataclass(frozen=True)
class Refusal:
    """A declaration that will not run, and why."""

    origin: Origin
    reason: str

    def __str__(self) -> str:
        return f"refused {self.origin}: {self.reason}"


@dataclass(frozen=True)
class Discovered:
    departments: tuple[Department, ...]
    flows: tuple[Flow, ...]
    refusals: tuple[Refusal, ...] = ()
    # Department names → where each was declared (an extended department: its base's).
    origins: dict[str, Origin] = field(default_factory=dict)
    flow_origins: dict[str, Origin] = field(default_factory=dict)
    # Each department as declared, before extensions were merged into it.
    declared: dict[str, Department] = field(default_factory=dict)

    def own(self) -> Discovered:
        """Only this repository's declarations, without plug-ins' extensions: what its own tests and
        docs are about, whatever else is installed."""
        return Discovered(
            tuple(self.declared[d.name] for d in self.departments if self.origins[d.name].own),
            tuple(f for f in self.flows if self.flow_origins[f.name].own),
            (),
            self.origins,
            self.flow_origins,
            self.declared,
        )


def _origin(entry: EntryPoint) -> Origin:
    package = entry.dist.name if entry.dist else "?"
    return Origin(package, entry.name, entry.value)


def declarations(group: str) -> list[tuple[Origin, Callable[[], Any]]]:
    """The group's entry points, the project's own first, then other packages', each by name (the
    first of two departments of one name wins), each with the call that loads it."""
    found = list(entry_points(group=group))
    if not any(_origin(e).own for e in found):
        raise DiscoveryError(
            f"no {group} entry points: is the onething package installed (pip install -e .)?"
        )
    # A package installed twice (an editable and a copy) lists its entry points twice.
    unique = {(_origin(e).package, e.name): e for e in found}
    ordered = sorted(unique.values(), key=lambda e: (not _origin(e).own, _origin(e).package, e.name))
    return [(_origin(e), e.load) for e in ordered]


def _load(
    sources: Iterable[tuple[Origin, Callable[[], Any]]], kinds: tuple[type, ...], refusals: list[Refusal]
) -> list[tuple[Origin, Any]]:
    loaded = []
    for origin, load in sources:
        try:
            obj = load()
        except Exception as exc:  # a plug-in that does not import: refuse it, run the others
            refusals.append(Refusal(origin, f"cannot load it: {type(exc).__name__}: {exc}"))
            continue
        if not isinstance(obj, kinds):
            wanted = " or ".join(k.__name__ for k in kinds)
            refusals.append(Refusal(origin, f"it is a {type(obj).__name__}, not a {wanted}"))
            continue
        loaded.append((origin, obj))
    return loaded


def _import(spec: str) -> Callable[[], Any]:
    module, _, attribute = spec.partition(":")
    return lambda: getattr(import_module(module), attribute or "department")


def discover(
    *, extra: tuple[str, ...] = (), catalog: Catalog | None = None, check_contracts: bool = True
) -> Discovered:
    """Every department (extensions merged) and flow that can run; the rest as refusals.

    ``extra``: ``module:attribute`` specs of departments not packaged yet. ``catalog``: the contracts
    to check declarations against (default: every contract the platform reads). Without
    ``check_contracts`` only what cannot be loaded or merged is refused: `graph --check` reports the
    rest as problems of its own.
    """
    catalog = catalog if catalog is not None else default_catalog()
    refusals: list[Refusal] = []
    sources = declarations(DEPARTMENTS_GROUP)
    sources += [(Origin("", "", spec), _import(spec)) for spec in extra]
    declared = _load(sources, (Department, DepartmentExtension), refusals)
    bases: dict[str, tuple[Origin, Department]] = {}
    extensions: list[tuple[Origin, DepartmentExtension]] = []
    for origin, obj in declared:
        if isinstance(obj, DepartmentExtension):
            extensions.append((origin, obj))
        elif obj.name in bases:
            first = bases[obj.name][0]
            refusals.append(
                Refusal(
                    origin,
                    f"department {obj.name} is already declared by {first}; "
                    f"to add matters to it, declare DepartmentExtension({obj.name!r})",
                )
            )
        else:
            bases[obj.name] = (origin, obj)

    def checked(origin: Origin, declared: Department | DepartmentExtension) -> bool:
        problems = matter_problems(declared.matters, catalog) if check_contracts else []
        refusals.extend(Refusal(origin, str(p)) for p in problems)
        return not problems

    valid = {name: (origin, d) for name, (origin, d) in bases.items() if checked(origin, d)}
    merged = {name: d for name, (_, d) in valid.items()}
    for origin, extension in extensions:
        if extension.name not in merged:
            refusals.append(
                Refusal(origin, f"extends department {extension.name}, which is not declared or was refused")
            )
        elif checked(origin, extension):
            try:
                merged[extension.name] = merged[extension.name].merged(extension)
            except ValueError as exc:
                refusals.append(Refusal(origin, str(exc)))
    origins = {name: origin for name, (origin, _) in valid.items()}
    flow_origins: dict[str, Origin] = {}
    flows = _flows(merged, catalog if check_contracts else None, refusals, flow_origins)
    _log(refusals)
    declared_as = {name: d for name, (_, d) in valid.items()}
    return Discovered(
        tuple(merged.values()), tuple(flows), tuple(refusals), origins, flow_origins, declared_as
    )


_logged: set[str] = set()


def _log(refusals: list[Refusal]) -> None:
    """Each refusal once per process, however many commands discover."""
    for refusal in refusals:
        if str(refusal) not in _logged:
            _logged.add(str(refusal))
            log.error("%s", refusal)


def _flows(
    departments: dict[str, Department],
    catalog: Catalog | None,
    refusals: list[Refusal],
    origins: dict[str, Origin],
) -> list[Flow]:
    matters = {m.key: m for d in departments.values() for m in d.matters}
    accepted: dict[str, Flow] = {}
    for origin, flow in _load(declarations(FLOWS_GROUP), (Flow,), refusals):
        if flow.name in accepted:
            refusals.append(Refusal(origin, f"flow {flow.name} is already declared by {origins[flow.name]}"))
            continue
        problems = flow_problems(flow, matters, catalog) if catalog is not None else []
        if problems:
            refusals += [Refusal(origin, str(p)) for p in problems]
            continue
        accepted[flow.name] = flow
        origins[flow.name] = origin
    return list(accepted.values())


def load_department(spec: str) -> Department:
    """A department named as ``module:attribute``, for one not packaged yet."""
    try:
        obj = _import(spec)()
    except (ImportError, AttributeError) as exc:
        raise DiscoveryError(f"cannot load department {spec!r}: {exc}") from None
    if not isinstance(obj, Department):
        raise DiscoveryError(f"{spec!r} is not a Department")
    return obj


def departments(names: list[str] | None = None, *, extra: tuple[str, ...] = ()) -> list[Department]:
    return chosen(discover(extra=extra).departments, names)


def chosen(every: Iterable[Department], names: list[str] | None) -> list[Department]:
    """The departments ``names`` names (all when none), or DiscoveryError naming the unknown ones."""
    every = list(every)
    if not names:
        return every
    known = {d.name: d for d in every}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DiscoveryError(f"unknown department {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]


def flows() -> list[Flow]:
    return list(discover().flows)


def _optional(group: str, kind: type) -> list:
    """A group a deployment may leave empty; anything in it must be a ``kind``."""
    found = []
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        obj = entry.load()
        if not isinstance(obj, kind):
            raise DiscoveryError(f"entry point {entry.name!r} in {group} is not a {kind.__name__}")
        found.append(obj)
    return found


def bundles() -> list[Bundle]:
    """一类事 bundles; a deployment may declare none."""
    return _optional(BUNDLES_GROUP, Bundle)


def service_areas() -> list[ServiceArea]:
    """Service points and residents' addresses for 15分钟办事圈; a deployment may declare none."""
    return _optional(SERVICE_AREAS_GROUP, ServiceArea)
