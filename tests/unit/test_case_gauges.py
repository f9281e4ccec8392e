"""The case gauges' counts: what a case adds, kept current by writes instead of recounting."""

from __future__ import annotations

from random import Random

from agents import fire_rescue, flows, health, market_regulation, urban_management
from streams.case_gauges import (
    LATE_CASES,
    LATE_MATTERS,
    OPEN_CASES,
    OPEN_MATTERS,
    CaseTally,
    contributions,
)
from streams.deadline_index import DeadlineIndex, IndexedCases
from streams.flows import FlowMap
from streams.tracker import COMPLETED, new_case_state, next_deadline

FLOW_MAP = FlowMap(
    [flows.open_restaurant],
    [market_regulation.department, fire_rescue.department, health.department, urban_management.department],
)
LICENCE, FIRE = "market_regulation.business_license", "fire_rescue.fire_safety_inspection"
FLOW = "open_restaurant"


def restaurant(*, done: list[str], missed: list[str], status: str = "open") -> dict:
    return new_case_state() | {
        "flow": FLOW,
        "status": status,
        "required": [LICENCE, FIRE],
        "done": done,
        "missed": missed,
        "due_at": 2_000,
        "matter_due": {LICENCE: 1_000, FIRE: 1_500},
        "last": {"event_id": "e"},
    }


def test_an_open_case_counts_its_flow_and_each_matter_it_waits_on_by_department():
    counts = contributions(restaurant(done=[LICENCE], missed=["case", FIRE]), FLOW_MAP)
    assert counts == {
        (OPEN_CASES, FLOW): 1,
        (LATE_CASES, FLOW): 1,
        (OPEN_MATTERS, FLOW, "fire_rescue"): 1,
        (LATE_MATTERS, FLOW, "fire_rescue"): 1,
    }


def test_closed_and_flowless_cases_count_nothing():
    assert not contributions(restaurant(done=[LICENCE, FIRE], missed=[], status=COMPLETED), FLOW_MAP)
    assert not contributions(new_case_state(), FLOW_MAP)
    assert not contributions(None, FLOW_MAP)


def test_counts_kept_by_writes_equal_a_recount_of_the_table():
    tally = CaseTally(FLOW_MAP)
    tally.rebuild([])
    table: dict = {}
    cases = IndexedCases(table, DeadlineIndex(next_deadline), on_change=tally.change)
    rng = Random(3)
    shapes = [
        {"done": [], "missed": []},
        {"done": [LICENCE], "missed": []},
        {"done": [LICENCE], "missed": [FIRE]},
        {"done": [], "missed": ["case", LICENCE]},
        {"done": [LICENCE, FIRE], "missed": [], "status": COMPLETED},
    ]
    for _ in range(500):
        case_id = f"C-{rng.randrange(40)}"
        if rng.random() < 0.1:
            cases.pop(case_id, None)
        else:
            cases[case_id] = restaurant(**rng.choice(shapes))
    recount = CaseTally(FLOW_MAP)
    recount.rebuild(table.values())
    assert +tally.counts == +recount.counts
    assert tally.counts[(OPEN_CASES, FLOW)] == sum(1 for s in table.values() if s["status"] == "open")
