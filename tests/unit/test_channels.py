"""Channels, 一网通办率 per flow and month, and the 帮代办 / 跨域办 shares, from application events."""

from __future__ import annotations

from datetime import datetime

import pytest

from streams.calendar import CHINA
from streams.channels import (
    CHANNELS,
    ONLINE_TARGET,
    ServiceFigures,
    issue_channel_mix,
    month_of,
    online_rate,
    overall,
    service_figures,
)
from streams.events import Event

APPLICATIONS = {"ShopApplied": "open_shop", "BabyApplied": "newborn"}


def applied(
    case_id: str, channel: str, *, when=datetime(2026, 11, 3, 10, tzinfo=CHINA), kind="ShopApplied", **more
):
    return Event(
        kind, {"channel": channel, "materials": []} | more, {"case_id": case_id, "occurred_at": when}
    )


def test_only_the_phone_app_and_the_web_portal_count_as_online():
    assert online_rate(["MOBILE", "ONLINE", "SELF_SERVICE", "COUNTER", "NEARBY", "HOTLINE"]) == pytest.approx(
        2 / 6
    )
    assert online_rate(["MOBILE"] * 17 + ["COUNTER"] * 3) == 0.85
    assert online_rate([]) is None


def test_the_rate_is_per_flow_and_every_channel_is_in_the_mix():
    events = [
        applied("C-1", "MOBILE"),
        applied("C-2", "ONLINE"),
        applied("C-3", "COUNTER"),
        applied("C-3", "COUNTER"),  # read twice: one application
        applied("B-1", "NEARBY", kind="BabyApplied"),
    ]
    figures = service_figures(events, APPLICATIONS)
    shop = figures["open_shop"].to_dict()
    assert shop["applications"] == 3
    assert shop["online_rate"] == pytest.approx(2 / 3)
    assert list(shop["channel_mix"]) == list(CHANNELS)
    assert shop["channel_mix"] == {
        "MOBILE": 1,
        "ONLINE": 1,
        "SELF_SERVICE": 0,
        "COUNTER": 1,
        "NEARBY": 0,
        "HOTLINE": 0,
    }
    assert figures["newborn"].online_rate == 0.0
    assert overall(figures.values()).online_rate == pytest.approx(2 / 4)


def test_months_are_beijing_months_and_each_is_held_against_the_target():
    # 23:30 UTC on 30 November is already 1 December in Beijing.
    late_november_utc = datetime.fromisoformat("2026-11-30T23:30:00+00:00")
    assert month_of(late_november_utc) == "2026-12"
    assert month_of(int(late_november_utc.timestamp() * 1000)) == "2026-12"
    events = [applied(f"N-{i}", "MOBILE", when=datetime(2026, 11, 5, tzinfo=CHINA)) for i in range(9)]
    events += [applied("N-9", "COUNTER", when=datetime(2026, 11, 6, tzinfo=CHINA))]
    events += [
        applied("D-1", "MOBILE", when=late_november_utc),
        applied("D-2", "HOTLINE", when=late_november_utc),
    ]
    months = service_figures(events, APPLICATIONS)["open_shop"].by_month()
    assert months["2026-11"] == {"applications": 10, "online": 9, "online_rate": 0.9, "meets_target": True}
    assert months["2026-12"]["online_rate"] == 0.5 and months["2026-12"]["meets_target"] is False
    assert ONLINE_TARGET == 0.85


def test_applications_made_for_someone_or_received_elsewhere_are_shares_of_all():
    helper = {"helper": "ct_x", "role": "COMMUNITY_WORKER", "consent_reference": "SQ-1"}
    receipt = {"receiving_city": "上海市", "receiving_desk": "浦东", "handed_over_at": 0}
    events = [
        applied("C-1", "NEARBY", assisted_by=helper),
        applied("C-2", "COUNTER", cross_region=receipt),
        applied("C-3", "MOBILE", assisted_by=None, cross_region=None),
        applied("C-4", "MOBILE"),
    ]
    shop = service_figures(events, APPLICATIONS)["open_shop"].to_dict()
    assert (shop["assisted"], shop["assisted_share"]) == (1, 0.25)
    assert (shop["cross_region"], shop["cross_region_share"]) == (1, 0.25)


def test_a_flow_without_applications_has_no_rates():
    empty = ServiceFigures().to_dict()
    assert empty["online_rate"] is None and empty["assisted_share"] is None and empty["online_by_month"] == {}


def test_issue_intake_channels_map_onto_the_six_service_channels():
    def raised(issue_id, channel):
        return Event("IssueRaised", {"channel": channel}, {"case_id": issue_id})

    mix = issue_channel_mix(
        [
            raised("I-1", "HOTLINE_12345"),
            raised("I-2", "ONLINE_ZONE"),
            raised("I-2", "ONLINE_ZONE"),
            raised("I-3", "SURVEY"),
        ]
    )
    assert mix == {"MOBILE": 0, "ONLINE": 1, "SELF_SERVICE": 0, "COUNTER": 0, "NEARBY": 1, "HOTLINE": 1}
