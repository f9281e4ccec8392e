"""Every discovered department and the case tracker without Kafka: an application goes in, every
event of its case comes out, each encoded and decoded as a consumer would see it.

    case = await platform().submit(newborn.flow, newborn.application())
    assert case.outcome.type == "CaseCompleted"
"""

from __future__ import annotations

from functools import cache
from typing import Any

from streams import discovery
from streams.events import Event
from streams.flows import Flow
from streams.simulate import applicant_of
from streams.testing import Case, Harness

__all__ = ["Case", "Event", "InMemoryPlatform", "apply", "platform", "rejection_of"]


class InMemoryPlatform(Harness):
    """Every discovered department of this repository and the tracker of its flows."""

    def __init__(self) -> None:
        own = discovery.discover().own()
        super().__init__(own.departments, own.flows)

    async def submit(self, flow: Flow, application: dict[str, Any], *, case_id: str = "C-1") -> Case:
        """Publish the application and deliver every resulting event to everyone, in causal order."""
        first = self.published(
            flow.application, application, subject=applicant_of(application), case_id=case_id
        )
        return await self.run(first)


@cache
def platform() -> InMemoryPlatform:
    return InMemoryPlatform()


async def apply(flow_module: Any, **overrides: Any) -> Case:
    """A flow module's complete, eligible application with ``overrides``, run to its outcome."""
    return await platform().submit(flow_module.flow, flow_module.application(**overrides))


def rejection_of(case: Case, matter: str) -> Event:
    """The one MatterRejected of ``matter`` (department.matter) in the case."""
    [event] = [e for e in case.rejections() if f"{e['department']}.{e['matter']}" == matter]
    return event
