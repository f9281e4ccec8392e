"""一件事 flows declared as data: the application that starts a case and the matters that end it.

The flow does not orchestrate anything: departments react to events on their own. The declaration
tells the tracker what "done" means and lets tools check and draw the flow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from random import Random
from typing import Any

from streams.department import Department, Matter


@dataclass(frozen=True, kw_only=True)
class Step:
    """A matter of the flow and the matters that must finish before it starts."""

    matter: str
    after: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Figures:
    """What an applicant goes through for one item; None where no figure was published."""

    materials: int | None = None
    trips: int | None = None
    steps: int | None = None
    working_days: float | None = None
    form_fields: int | None = None


@dataclass(frozen=True, kw_only=True)
class Published:
    """A government's published before → after figures for the item, and whose they are."""

    source: str
    before: Figures
    after: Figures


@dataclass(frozen=True, kw_only=True)
class Flow:
    name: str
    display_name: str
    lead: str
    # The single application (一次提交) that starts a case; its payload has `channel` and `materials`.
    application: str
    steps: tuple[Step, ...]
    sla_working_days: int
    audience: str = "enterprise"  # or "individual"
    published: Published | None = None
    # Makes one realistic application payload for simulations: varied, sometimes incomplete or
    # ineligible, so every branch of the flow runs.
    sample: Callable[[Random], dict[str, Any]] | None = None
    # Set when another department's fact starts the case (a death certificate, a birth: 免申即享):
    # `application` is then that department's event, not an application. Nobody applied, so the case
    # counts no channel, material or submission, and a simulation publishes the event as that
    # department's.
    started_by: str | None = None

    @property
    def starts_with_application(self) -> bool:
        return self.started_by is None


class FlowMap:
    """Flows joined with the departments' declarations, so matters can be looked up by event."""

    def __init__(self, flows: list[Flow], departments: list[Department]) -> None:
        self.flows = {flow.name: flow for flow in flows}
        self.matters: dict[str, Matter] = {m.key: m for d in departments for m in d.matters}
        self.department_names = {d.name: d.display_name for d in departments}
        self.by_application = {flow.application: flow for flow in flows}
        # Only matters some flow includes end anything the tracker follows.
        in_flows = {step.matter for flow in flows for step in flow.steps}
        self.by_done_event: dict[str, list[Matter]] = {}
        for key in sorted(in_flows & set(self.matters)):
            self.by_done_event.setdefault(self.matters[key].done, []).append(self.matters[key])
        for flow in flows:
            for step in flow.steps:
                if step.matter not in self.matters:
                    raise ValueError(f"flow {flow.name!r} names unknown matter {step.matter!r}")

    def required_matters(self, flow: Flow, application: Mapping[str, Any]) -> list[str]:
        """The matters this application needs; a conditional matter only when its condition holds."""
        return [
            step.matter
            for step in flow.steps
            if (when := self.matters[step.matter].when) is None or when.holds(application)
        ]

    def display_name(self, matter: Matter) -> str:
        return self.department_names.get(matter.department, matter.department)

    @property
    def event_types(self) -> set[str]:
        """Every event the tracker must watch."""
        return set(self.by_application) | set(self.by_done_event)
