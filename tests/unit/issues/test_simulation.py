"""Simulated issues: realistic, reproducible, every scenario in a small run."""

from random import Random

import pytest

from streams.events import NewEvent
from streams.identifiers import is_valid_uscc
from streams.issues import model as m
from streams.issues.routing import CATEGORIES
from streams.issues.simulation import plan_issues
from streams.publisher import Publisher


def test_a_small_run_covers_every_behaviour_and_repeats_a_slow_issue():
    plan = plan_issues(12, Random(7))
    assert len(plan.originals) + len(plan.repeats) == 12
    tags = [t for o in plan.originals for t in o["tags"]]
    assert {m.TAG_LEGACY, m.TAG_REPEATED, m.TAG_SITE_CHECK, m.TAG_POLICY_QUESTION} <= set(tags)
    assert any(o["difficulty"] == "HARD" for o in plan.originals)
    assert any(
        "快递" in o["description"] or "施工许可" in o["description"] or "竣工验收" in o["description"]
        for o in plan.originals
    )
    [(index, repeat)] = plan.repeats
    original = plan.originals[index]
    assert {m.TAG_LEGACY, m.TAG_SITE_CHECK} & set(original["tags"])
    assert repeat["uscc"] == original["uscc"] and repeat["category"] == original["category"]
    assert repeat["channel"] != original["channel"]


def test_issues_are_realistic_and_fit_the_contract(catalog, codec):
    publisher = Publisher(catalog, codec, producer="service_center", version="1")
    plan = plan_issues(40, Random(1))
    for payload in plan.originals:
        assert is_valid_uscc(payload["uscc"]) and payload["enterprise_name"].endswith("有限公司")
        assert payload["category"] in CATEGORIES and payload["channel"] in m.CHANNELS
        publisher.build(NewEvent(m.RAISED, payload), cause=None, case_id="QY-1")
    assert {p["channel"] for p in plan.originals} == set(m.CHANNELS)


def test_the_same_seed_gives_the_same_issues():
    assert plan_issues(20, Random(3)) == plan_issues(20, Random(3))


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        plan_issues(-1, Random())
