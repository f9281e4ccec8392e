"""Departments and flows are found through entry points, so a third party plugs in as a package.

[project.entry-points."onething.departments"]
water_supply = "acme_water.department:department"
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from streams.bundles import Bundle
from streams.coverage import ServiceArea
from streams.department import Department
from streams.flows import Flow

DEPARTMENTS_GROUP = "onething.departments"
FLOWS_GROUP = "onething.flows"
BUNDLES_GROUP = "onething.bundles"
SERVICE_AREAS_GROUP = "onething.service_areas"


class DiscoveryError(RuntimeError):
    pass


def _load(group: str, kind: type, *, required: bool = True) -> list:
    found = []
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        obj = entry.load()
        if not isinstance(obj, kind):
            raise DiscoveryError(f"entry point {entry.name!r} in {group} is not a {kind.__name__}")
        found.append(obj)
    if not found and required:
        raise DiscoveryError(
            f"no {group} entry points: is the onething package installed (pip install -e .)?"
        )
    return found


def load_department(spec: str) -> Department:
    """A department named as ``module:attribute``, for one not packaged yet."""
    module, _, attribute = spec.partition(":")
    try:
        obj = getattr(import_module(module), attribute or "department")
    except (ImportError, AttributeError) as exc:
        raise DiscoveryError(f"cannot load department {spec!r}: {exc}") from None
    if not isinstance(obj, Department):
        raise DiscoveryError(f"{spec!r} is not a Department")
    return obj


def departments(names: list[str] | None = None, *, extra: tuple[str, ...] = ()) -> list[Department]:
    every = _load(DEPARTMENTS_GROUP, Department) + [load_department(spec) for spec in extra]
    if not names:
        return every
    known = {d.name: d for d in every}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DiscoveryError(f"unknown department {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]


def flows() -> list[Flow]:
    return _load(FLOWS_GROUP, Flow)


def bundles() -> list[Bundle]:
    """一类事 bundles; a deployment may declare none."""
    return _load(BUNDLES_GROUP, Bundle, required=False)


def service_areas() -> list[ServiceArea]:
    """Service points and residents' addresses for 15分钟办事圈; a deployment may declare none."""
    return _load(SERVICE_AREAS_GROUP, ServiceArea, required=False)
