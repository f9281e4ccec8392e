"""Every discovered department and the case tracker without Kafka: an application goes in, every
event of its case comes out, each encoded and decoded as a consumer would see it.

    case = await platform().submit(newborn.flow, newborn.application())
    assert case.outcome.type == "CaseCompleted"
"""

from __future__ import annotations

from functools import cache
from typing import Any

from streams import discovery
from streams.clock import Clock
from streams.contracts import default_catalog
from streams.events import Event, NewEvent
from streams.flows import Flow
from streams.processing import decode_event
from streams.publisher import Publisher
from streams.simulate import applicant_of
from streams.testing import Case, Harness

__all__ = ["Case", "Event", "InMemoryDesk", "InMemoryPlatform", "apply", "platform", "rejection_of"]


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


class InMemoryDesk:
    """A service desk for `submit_cases`: stamps applications on ``clock`` and hands back the event
    as consumers decode it, for `platform().run`."""

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock
        self.publisher = Publisher(
            default_catalog(), platform().codec, producer="service_center", version="test", clock=clock
        )

    def submit(self, event_type, payload, *, subject, case_id, cause=None, index=0, **_) -> Event:
        new = NewEvent(event_type, payload, subject)
        record = self.publisher.build(new, cause=cause, case_id=case_id, index=index)
        return decode_event(platform().codec, record.value)


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
