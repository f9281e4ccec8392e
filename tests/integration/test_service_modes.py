"""Channels, 帮代办, 跨域办, 一类事 and 需求发现 on the real broker, as a user sees them in
`onething cases show`, `onething report` and `onething discover`."""

from __future__ import annotations

import json
import uuid

import pytest

from agents.bundles.restaurant_outlet import bundle, form
from agents.flows import disability_services, newborn, public_rental_housing
from streams import discovery
from streams.assistance import assisted_by, submit_handed_over
from streams.bundle_intake import submit_bundle
from streams.cli import main
from tests.integration.conftest import worker_env

pytestmark = pytest.mark.integration

TIMEOUT = 120
OUTCOMES = ("CaseCompleted", "CaseRejected")
HELPER = "33021219850417002X"


def run_cli(capsys, monkeypatch, settings, *argv: str) -> str:
    for name, value in worker_env(settings).items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def outcome_of(event_log, case_id):
    assert event_log.wait_until(
        lambda: any(e.type in OUTCOMES for e in event_log.events(case_id)), TIMEOUT
    ), f"{case_id} did not end"
    return next(e for e in event_log.events(case_id) if e.type in OUTCOMES)


def test_one_bundle_request_fans_out_and_completes_when_every_member_is_done(
    desk, event_log, settings, capsys, monkeypatch
):
    submission = submit_bundle(desk, bundle, discovery.flows(), form(channel="MOBILE"))
    assert list(submission.members) == ["open_restaurant", "utility_hookup", "hiring"]
    completed = event_log.wait_for(submission.case_id, "BundleCompleted", TIMEOUT)
    assert completed is not None, "the bundle never completed"
    assert completed["all_completed"] is True
    members = {m["flow"]: m for m in completed["members"]}
    for flow, application in submission.members.items():
        assert members[flow]["case_id"] == application.case_id
        assert outcome_of(event_log, application.case_id).type == "CaseCompleted"
        # Every member event belongs to the bundle's conversation.
        assert {e.envelope["correlation_id"] for e in event_log.events(application.case_id)} == {
            submission.case_id
        }
    assert len([e for e in event_log.events(submission.case_id) if e.type == "BundleCompleted"]) == 1

    shown = run_cli(capsys, monkeypatch, settings, "cases", "show", submission.case_id)
    assert "BundleRequested" in shown and "BundleCompleted" in shown
    assert "一类事 open_restaurant_outlet 全部办结" in shown
    member = run_cli(capsys, monkeypatch, settings, "cases", "show", submission.members["hiring"].case_id)
    assert f"一类事 {submission.case_id} 的成员办件" in member

    report = json.loads(run_cli(capsys, monkeypatch, settings, "report", "--json"))
    [outlet] = [b for b in report["bundles"] if b["name"] == "open_restaurant_outlet"]
    assert outlet["requested"] >= 1 and outlet["completed"] >= 1
    assert outlet["members"] == ["open_restaurant", "utility_hookup", "hiring"]


def submit_assisted_and_handed_over(desk, helper_id: str):
    """A newborn application made by a community worker for the mother, and one received at
    Shanghai's desk and handed over: (helper, assisted, handover, handed-over application)."""
    helper = assisted_by(helper_id, "COMMUNITY_WORKER", "SQ-2026-1201")
    on_behalf = newborn.application(channel="NEARBY") | {"assisted_by": helper}
    assisted = desk.submit(newborn.flow.application, on_behalf, subject=on_behalf["mother"])
    handover, elsewhere = submit_handed_over(
        desk,
        newborn.flow.application,
        newborn.application(channel="COUNTER"),
        subject=on_behalf["mother"],
        receiving_city="上海市",
        receiving_desk="上海市浦东新区市民中心",
    )
    return helper, assisted, handover, elsewhere


def test_an_application_made_for_someone_and_one_received_in_another_city_show_in_the_history(
    desk, event_log, settings, capsys, monkeypatch
):
    helper, assisted, handover, elsewhere = submit_assisted_and_handed_over(desk, HELPER)
    assert elsewhere.case_id == handover.case_id and elsewhere.causation_id == handover.event_id
    assert outcome_of(event_log, assisted.case_id).type == "CaseCompleted"
    assert outcome_of(event_log, elsewhere.case_id).type == "CaseCompleted"

    shown = run_cli(capsys, monkeypatch, settings, "cases", "show", assisted.case_id)
    assert helper["helper"].startswith("ct_")  # the number was tokenized before it left the desk
    assert "帮代办: 社区工作者 " + helper["helper"] in shown and "SQ-2026-1201" in shown
    assert "渠道: 就近办 (NEARBY)" in shown
    assert HELPER not in shown
    shown = run_cli(capsys, monkeypatch, settings, "cases", "show", elsewhere.case_id)
    assert "ApplicationHandedOver" in shown
    assert "跨域办: 上海市 上海市浦东新区市民中心 收件, 移交 宁波市" in shown
    assert "NewbornApplicationSubmitted  ← ApplicationHandedOver" in shown

    report = json.loads(run_cli(capsys, monkeypatch, settings, "report", "--json"))
    [flow] = [f for f in report["flows"] if f["name"] == "newborn"]
    assert flow["assisted"] >= 1 and flow["cross_region"] >= 1
    assert 0 < flow["assisted_share"] <= 1 and 0 < flow["cross_region_share"] <= 1
    assert flow["channel_mix"]["NEARBY"] >= 1 and flow["channel_mix"]["COUNTER"] >= 1
    assert set(flow["online_by_month"]) and flow["online_target"] == 0.85
    assert 0 < flow["coverage_15min"] <= 1


def test_discover_finds_flows_planted_as_applied_for_together(desk, settings, capsys, monkeypatch):
    # Three applicants each apply for disability services and public rental housing together.
    run = uuid.uuid4().hex[:8]
    for n in range(3):
        subject = f"ct_planted{run}{n}"
        for module in (disability_services, public_rental_housing):
            desk.submit(module.flow.application, module.application(), subject=subject)
    out = run_cli(capsys, monkeypatch, settings, "discover", "--json", "--window", "1", "--min-count", "3")
    found = json.loads(out)["candidates"]
    pair = next(c for c in found if c["flows"] == ["disability_services", "public_rental_housing"])
    assert pair["count"] >= 3 and pair["subjects"] >= 3
    assert pair["display_names"] == ["残疾人服务", "申请公租房"]
    # The bundle's own members were applied for together on purpose: never proposed again.
    assert not any(set(c["flows"]) <= set(bundle.members) for c in found)
