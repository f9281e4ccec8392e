"""开办餐饮店 end to end on the real broker: one application, every department, one outcome."""

from __future__ import annotations

import pytest

from streams.demo import EVERY_MATERIAL, restaurant_application

pytestmark = pytest.mark.integration

TIMEOUT = 90


def submit(desk, name, area, *, signboard="招牌", materials=EVERY_MATERIAL, staff=6):
    app = restaurant_application(name, area, staff, signboard, list(materials))
    return desk.submit("RestaurantApplicationSubmitted", app, subject=app["legal_representative"])


def outcome(event_log, case_id):
    ok = event_log.wait_until(
        lambda: any(e.type in ("CaseCompleted", "CaseRejected") for e in event_log.events(case_id)),
        TIMEOUT,
    )
    assert ok, f"case {case_id} did not finish: {[e.type for e in event_log.events(case_id)]}"
    return next(e for e in event_log.events(case_id) if e.type in ("CaseCompleted", "CaseRejected"))


def by_type(events):
    return {e.type: e for e in events}


def test_a_large_restaurant_gets_every_permit_and_the_case_completes(desk, event_log):
    application = submit(desk, "老宁波海鲜楼", 420.0)
    completed = outcome(event_log, application.case_id)
    events = by_type(event_log.events(application.case_id))

    assert completed.type == "CaseCompleted"
    assert set(completed["matters"]) == {
        "market_regulation.business_license",
        "market_regulation.food_business_permit",
        "urban_management.outdoor_signboard",
        "fire_rescue.fire_safety_inspection",
        "health.staff_health_certificates",
    }
    # The causal chain: application → licence → the four parallel matters.
    licence = events["BusinessLicenseIssued"]
    assert licence.causation_id == application.event_id
    for follow_up in (
        "FoodBusinessPermitIssued",
        "SignboardApproved",
        "FireSafetyInspectionPassed",
        "HealthCertificatesIssued",
    ):
        assert events[follow_up].causation_id == licence.event_id, follow_up
        assert events[follow_up].producer != "service_center"
    assert completed.causation_id in {e.event_id for e in events.values()}
    # One conversation, one trace, the enterprise's USCC as subject once it exists.
    assert {e.envelope["correlation_id"] for e in events.values()} == {application.case_id}
    assert {e.envelope["trace"].split("-")[1] for e in events.values()} == {
        application.envelope["trace"].split("-")[1]
    }
    assert events["FoodBusinessPermitIssued"].subject == licence["uscc"]


def test_a_small_restaurant_completes_without_a_fire_check(desk, event_log):
    application = submit(desk, "阿娘面馆", 120.0, signboard=None)
    completed = outcome(event_log, application.case_id)
    types = [e.type for e in event_log.events(application.case_id)]

    assert completed.type == "CaseCompleted"
    assert "FireSafetyInspectionPassed" not in types and "SignboardApproved" not in types
    assert "fire_rescue.fire_safety_inspection" not in completed["matters"]


def test_missing_materials_reject_the_case_with_one_notice(desk, event_log):
    application = submit(desk, "鼓楼小笼包", 60.0, materials=EVERY_MATERIAL[:1])
    rejected = outcome(event_log, application.case_id)
    [notice] = [e for e in event_log.events(application.case_id) if e.type == "MatterRejected"]

    assert rejected.type == "CaseRejected"
    assert rejected["matter"] == "market_regulation.business_license"
    assert set(notice["missing_materials"]) == set(EVERY_MATERIAL[1:])
    assert "BusinessLicenseIssued" not in [e.type for e in event_log.events(application.case_id)]


def test_no_citizen_identity_number_reaches_a_topic(desk, event_log):
    application = submit(desk, "海曙烧烤", 80.0)
    outcome(event_log, application.case_id)
    for event in event_log.events(application.case_id):
        assert "330203199001011234" not in repr(event.payload) + repr(event.envelope)
    assert application["legal_representative"].startswith("ct_")


def test_cases_show_prints_the_causal_timeline(desk, event_log, settings, capsys, monkeypatch):
    from streams.cli import main
    from tests.integration.conftest import worker_env

    application = submit(desk, "时间线餐馆", 350.0)
    outcome(event_log, application.case_id)
    for name, value in worker_env(settings).items():
        monkeypatch.setenv(name, value)

    assert main(["cases", "show", application.case_id]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{application.case_id}: 7 events")
    assert "消防救援支队" in out and "FireSafetyInspectionPassed  ← BusinessLicenseIssued" in out
    assert "CaseCompleted  ←" in out
