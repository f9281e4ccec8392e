"""一类事 at the desk: one form in, the bundle's request and each member flow's application out.

The request comes first, with its own case id; every member application is caused by it, so its
case and every event that follows share the bundle's case id as correlation id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any

from streams.bundles import BUNDLE_PREFIX, BUNDLE_REQUESTED, Bundle, member_applications
from streams.clock import using
from streams.events import Event
from streams.flows import Flow
from streams.service_desk import ServiceDesk, new_case_id
from streams.simulate import applicant_of, flow_prefix


@dataclass(frozen=True, slots=True)
class BundleSubmission:
    request: Event
    members: dict[str, Event]  # flow name → the member's application as sent

    @property
    def case_id(self) -> str:
        return self.request.case_id


def submit_bundle(
    desk: ServiceDesk, bundle: Bundle, flows: Sequence[Flow], form: Mapping[str, Any]
) -> BundleSubmission:
    """Publish the request and every member application; returns them as sent."""
    by_name = {f.name: f for f in flows}
    unknown = [m for m in bundle.members if m not in by_name]
    if unknown:
        raise ValueError(f"bundle {bundle.name} names undeclared flows: {', '.join(unknown)}")
    payloads = member_applications(bundle, form)
    case_ids = {name: new_case_id(flow_prefix(by_name[name])) for name in payloads}
    subject = applicant_of(next(iter(payloads.values())))
    request = desk.submit(
        BUNDLE_REQUESTED,
        {
            "bundle": bundle.name,
            "members": [{"flow": name, "case_id": case_ids[name]} for name in payloads],
            "channel": str(form.get("channel") or ""),
        },
        subject=subject,
        case_id=new_case_id(BUNDLE_PREFIX),
    )
    members = {
        name: desk.submit(
            by_name[name].application,
            payload,
            subject=applicant_of(payload),
            case_id=case_ids[name],
            cause=request,
            index=index,
        )
        for index, (name, payload) in enumerate(payloads.items())
    }
    return BundleSubmission(request, members)


def submit_samples(
    desk: ServiceDesk, bundles: Sequence[Bundle], flows: Sequence[Flow], *, count: int, rng: Random
) -> list[BundleSubmission]:
    """``count`` requests of every bundle that declares a sample form, for simulations and the demo."""
    submitted = []
    for _ in range(count):
        for bundle in bundles:
            if bundle.sample is None:
                continue
            # Dated by the clock that stamps the request, which a simulation runs fast.
            with using(desk.clock):
                form = bundle.sample(rng)
            submitted.append(submit_bundle(desk, bundle, flows, form))
    return submitted
