"""Simulated applicants are dated by the platform clock that stamps their applications.

A demo runs the clock a day a second: an applicant dated by the wall clock looks years old to the
departments, and every hire is "too late to register" (issue: 280 of 300 hires rejected).
"""

import time
from collections import Counter

from agents.flows import hiring, veteran_resettlement
from streams.clock import Clock
from streams.contracts import default_catalog
from streams.events import NewEvent
from streams.processing import decode_event
from streams.publisher import Publisher
from streams.simulate import submit_cases
from tests.unit.platform import platform

CASES = 60


class InMemoryDesk:
    """A service desk stamping applications on a clock running a day a second for half an hour."""

    def __init__(self) -> None:
        self.clock = Clock(speed=86400, origin=time.time() - 1800)
        self.publisher = Publisher(
            default_catalog(), platform().codec, producer="service_center", version="test", clock=self.clock
        )

    def submit(self, event_type, payload, *, subject, case_id, cause=None, index=0, **_):
        new = NewEvent(event_type, payload, subject)
        record = self.publisher.build(new, cause=cause, case_id=case_id, index=index)
        return decode_event(platform().codec, record.value)


async def outcomes_on_a_fast_clock(flow_module) -> Counter:
    cases = submit_cases(InMemoryDesk(), [flow_module.flow], cases=CASES, seed=7)
    return Counter([(await platform().run(case.application)).outcome.type for case in cases])


async def test_hires_on_a_fast_clock_are_not_all_too_late():
    outcomes = await outcomes_on_a_fast_clock(hiring)
    # The samples are ~10% incomplete and ~10% ineligible on purpose; the rest must go through.
    assert outcomes["CaseRejected"] / CASES < 0.4
    assert outcomes["CaseCompleted"] / CASES > 0.6


async def test_veterans_on_a_fast_clock_report_in_time():
    outcomes = await outcomes_on_a_fast_clock(veteran_resettlement)
    assert outcomes["CaseRejected"] / CASES < 0.4
