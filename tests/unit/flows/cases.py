"""Each flow's module by entry point, and the events its applications set off in memory."""

from __future__ import annotations

import asyncio
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from random import Random
from types import ModuleType

from streams.discovery import PROJECT
from streams.events import Event
from tests.unit.platform import platform

SAMPLES_PER_FLOW = 25


@cache
def flow_modules() -> dict[str, ModuleType]:
    """Flow name → the module declaring it (its `flow`, `application`, `ineligible` and `sample`)."""
    modules = {
        ep.name: import_module(ep.module)
        for ep in entry_points(group="onething.flows")
        if ep.dist and ep.dist.name == PROJECT  # this repository's flows, whatever else is installed
    }
    return {name: module for name, module in sorted(modules.items()) if hasattr(module, "application")}


def applications(module: ModuleType) -> list[dict]:
    """The flow's complete application, each rule it can break, and seeded samples."""
    return [
        module.application(),
        *(module.application(**broken) for broken in module.ineligible()),
        *(module.sample(Random(seed)) for seed in range(SAMPLES_PER_FLOW)),
    ]


@cache
def observed_events() -> tuple[Event, ...]:
    """Every event every flow's applications set off, delivered as consumers see them."""

    async def run() -> list[Event]:
        events = []
        for name, module in flow_modules().items():
            for n, payload in enumerate(applications(module)):
                case = await platform().submit(module.flow, payload, case_id=f"{name}-{n}")
                events += case.events
        return events

    return tuple(asyncio.run(run()))
