"""What the declaration commands read: the discovered departments and flows, joined for lookup."""

from __future__ import annotations

from dataclasses import dataclass

from streams import discovery
from streams.config import Settings
from streams.department import Department, Matter
from streams.flows import Flow


@dataclass(frozen=True)
class Declarations:
    departments: tuple[Department, ...]
    flows: tuple[Flow, ...]
    # Plug-ins that could not be loaded or merged (see streams.discovery).
    refusals: tuple[discovery.Refusal, ...] = ()

    @property
    def matters(self) -> dict[str, Matter]:
        return {m.key: m for d in self.departments for m in d.matters}

    def display_name(self, department: str) -> str:
        """The department's Chinese name, or its code when it is not discovered."""
        return next((d.display_name for d in self.departments if d.name == department), department)


def departments(settings: Settings) -> tuple[Department, ...]:
    # Departments under development (ONETHING_EXTRA_DEPARTMENTS) count, as they do for `onething run`.
    return tuple(discovery.departments(extra=settings.extra_departments))


def load(settings: Settings, *, own: bool = False) -> Declarations:
    """Everything declared, checked against the contracts by the commands themselves (graph --check).

    ``own``: only this repository's departments and flows (no plug-in, no extension), e.g. for the
    docs kept in its source tree.
    """
    found = discovery.discover(extra=settings.extra_departments, check_contracts=False)
    if own:
        found = found.own()
    return Declarations(found.departments, found.flows, found.refusals)
