"""帮代办 and 跨域办 on an application: recorded, tokenized, and run like any other application."""

from __future__ import annotations

from random import Random

import pytest

from agents.flows import newborn
from streams.assistance import Drawn, assisted_by, draw, made_up_id_number
from streams.events import Event, NewEvent
from streams.identifiers import find_citizen_ids, is_valid_citizen_id, tokenize_citizen_id
from streams.service_notes import notes
from tests.unit.platform import platform

HELPER = "33021219850417002X"


def test_the_helpers_number_is_tokenized_and_the_consent_kept():
    assert is_valid_citizen_id(HELPER)
    record = assisted_by(HELPER, "COMMUNITY_WORKER", "SQ-2026-0042")
    assert record == {
        "helper": tokenize_citizen_id(HELPER),
        "role": "COMMUNITY_WORKER",
        "consent_reference": "SQ-2026-0042",
    }


@pytest.mark.parametrize(
    ("number", "role", "consent", "problem"),
    [
        ("330212198504170021", "COMMUNITY_WORKER", "SQ-1", "not a valid"),
        (HELPER, "NEIGHBOUR", "SQ-1", "unknown helper role"),
        (HELPER, "VOLUNTEER", "  ", "consent"),
    ],
)
def test_a_helper_without_a_valid_number_role_or_consent_is_refused(number, role, consent, problem):
    with pytest.raises(ValueError, match=problem):
        assisted_by(number, role, consent)


async def test_an_application_made_for_someone_and_received_in_another_city_runs_and_carries_both():
    helper = assisted_by(HELPER, "COMMUNITY_WORKER", "SQ-2026-0042")
    receipt = {
        "receiving_city": "上海市",
        "receiving_desk": "浦东新区市民中心",
        "handed_over_at": 1_790_000_000_000,
    }
    application = newborn.application(channel="NEARBY") | {"assisted_by": helper, "cross_region": receipt}
    case = await platform().submit(newborn.flow, application, case_id="NB-ASSISTED")
    assert case.outcome.type == "CaseCompleted"
    submitted = case.events[0]
    assert submitted.payload["assisted_by"] == helper
    assert submitted.payload["cross_region"]["receiving_city"] == "上海市"
    lines = notes(submitted)
    assert "渠道: 就近办 (NEARBY)" in lines
    assert any(line.startswith("帮代办: 社区工作者 ct_") and "SQ-2026-0042" in line for line in lines)
    assert any(line.startswith("跨域办: 上海市") for line in lines)


def test_the_encoded_application_holds_no_identity_number():
    helper = assisted_by(HELPER, "FAMILY_MEMBER", "SQ-7")
    application = newborn.application() | {"assisted_by": helper}
    record = (
        platform()
        .publisher("service_center")
        .build(
            NewEvent(newborn.flow.application, application, "ct_x"),
            cause=None,
            case_id="NB-1",
        )
    )
    assert find_citizen_ids(record.value) == []


def test_the_simulator_draws_helpers_and_handovers_now_and_then():
    rng = Random(7)
    drawn = [draw(rng, "individual") for _ in range(2000)]
    helped = sum(d.assisted_by is not None for d in drawn) / len(drawn)
    elsewhere = sum(d.receiving_city is not None for d in drawn) / len(drawn)
    assert 0.07 < helped < 0.13 and 0.02 < elsewhere < 0.06
    assert all(is_valid_citizen_id(made_up_id_number(rng)) for _ in range(50))


def test_a_helper_submits_through_the_channel_of_their_role():
    helper = assisted_by(HELPER, "GRID_WORKER", "SQ-9")
    assert Drawn(helper).apply({"channel": "MOBILE"})["channel"] == "NEARBY"
    assert Drawn().apply({"channel": "MOBILE"}) == {"channel": "MOBILE"}


def test_a_handover_and_a_bundle_request_are_named_in_a_history():
    handover = Event(
        "ApplicationHandedOver",
        {"receiving_city": "杭州市", "receiving_desk": "杭州市民中心", "handling_city": "宁波市"},
        {"case_id": "NB-2", "correlation_id": "NB-2"},
    )
    assert notes(handover) == ["跨域办: 杭州市 杭州市民中心 收件, 移交 宁波市"]
    request = Event(
        "BundleRequested",
        {
            "bundle": "open_restaurant_outlet",
            "members": [{"flow": "hiring", "case_id": "H-1"}],
            "channel": "MOBILE",
        },
        {"case_id": "BUNDLE-1", "correlation_id": "BUNDLE-1"},
    )
    assert notes(request) == ["一类事 open_restaurant_outlet: 一次申请 → hiring H-1"]
