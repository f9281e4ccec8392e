"""开办餐饮店 applications as the simulation makes them, found through the declared flows.

The platform never imports a department or flow module; the flow's own ``sample`` makes varied
applications (about one in five is incomplete or ineligible and ends in CaseRejected).
"""

from __future__ import annotations

from functools import cache
from random import Random
from typing import Any

from streams import discovery
from streams.flows import Flow
from streams.simulate import applicant_of

RESTAURANT = "open_restaurant"


@cache
def restaurant_flow() -> Flow:
    for flow in discovery.flows():
        if flow.name == RESTAURANT and flow.sample is not None:
            return flow
    raise LookupError(f"no flow {RESTAURANT!r} with a sample application is installed")


def application(rng: Random) -> tuple[dict[str, Any], str]:
    """One application and its subject (the applicant's token)."""
    payload = restaurant_flow().sample(rng)  # type: ignore[misc]
    return payload, applicant_of(payload)
