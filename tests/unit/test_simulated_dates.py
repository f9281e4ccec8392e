"""Simulated applicants are dated by the platform clock that stamps their applications.

A demo runs the clock a day a second: an applicant dated by the wall clock looks years old to the
departments, and every hire is "too late to register" (issue: 280 of 300 hires rejected).
"""

import time
from collections import Counter

from agents.flows import hiring, veteran_resettlement
from streams.clock import Clock
from streams.simulate import submit_cases
from tests.unit.platform import InMemoryDesk, platform

CASES = 60


async def outcomes_on_a_fast_clock(flow_module) -> Counter:
    # As in a demo that has run for half an hour: a day a second.
    desk = InMemoryDesk(clock=Clock(speed=86400, origin=time.time() - 1800))
    cases = submit_cases(desk, [flow_module.flow], cases=CASES, seed=7)
    return Counter([(await platform().run(case.application)).outcome.type for case in cases])


async def test_hires_on_a_fast_clock_are_not_all_too_late():
    outcomes = await outcomes_on_a_fast_clock(hiring)
    # The samples are ~10% incomplete and ~10% ineligible on purpose; the rest must go through.
    assert outcomes["CaseRejected"] / CASES < 0.4
    assert outcomes["CaseCompleted"] / CASES > 0.6


async def test_veterans_on_a_fast_clock_report_in_time():
    outcomes = await outcomes_on_a_fast_clock(veteran_resettlement)
    assert outcomes["CaseRejected"] / CASES < 0.4
