"""A case's records become one causal chain: each event once, every cause before its effects."""

from __future__ import annotations

import random
from dataclasses import replace

from agents.flows import restaurant
from streams.replay.chain import build_chain
from tests.unit.replay.cases import restaurant_records, skewed


def test_a_completed_case_is_one_chain_rooted_at_its_application():
    chain = build_chain("C-REPLAY", restaurant_records())
    assert chain.consistent
    assert chain.root.event.type == restaurant.flow.application
    assert chain.outcome == "CaseCompleted"
    placed = set()
    for link in chain.links:
        assert link.event.causation_id is None or link.event.causation_id in placed
        placed.add(link.event.event_id)


def test_order_follows_causes_not_the_producers_clocks():
    records = list(restaurant_records())
    # The department answering the application has a clock an hour slow.
    answer = next(r for r in records if r.event.causation_id == records[0].event.event_id)
    records = [skewed(r, -3600) if r is answer else r for r in records]
    random.Random(7).shuffle(records)
    chain = build_chain("C-REPLAY", records)
    ids = [e.event_id for e in chain.events]
    assert ids.index(answer.event.event_id) > ids.index(chain.root.event.event_id)
    assert chain.consistent


def test_a_redelivered_event_appears_once():
    records = list(restaurant_records())
    copy = replace(records[2], offset=99)
    chain = build_chain("C-REPLAY", [*records, copy])
    assert len(chain.links) == len(records)
    assert chain.duplicates == 1
    # The first copy in the log is the one kept.
    kept = next(link for link in chain.links if link.event.event_id == copy.event.event_id)
    assert kept.located.offset == 2


def test_a_cause_missing_from_the_log_is_named():
    records = list(restaurant_records())
    missing = records[1]
    chain = build_chain("C-REPLAY", [r for r in records if r is not missing])
    orphans = [r.event.event_id for r in records if r.event.causation_id == missing.event.event_id]
    assert orphans and set(orphans) <= set(chain.dangling)
    assert not chain.consistent


def test_each_department_held_the_case_from_its_trigger_to_its_answer():
    records = list(restaurant_records())
    application = records[0]
    answer = next(r for r in records if r.event.causation_id == application.event.event_id)
    late = skewed(answer, 7200)
    chain = build_chain("C-REPLAY", [late if r is answer else r for r in records])
    link = next(link for link in chain.links if link.event.event_id == answer.event.event_id)
    assert link.held_ms >= 7_200_000
    assert chain.holdings()[answer.event.producer] >= 7_200_000
