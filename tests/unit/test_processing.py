"""A department's reaction to one event, without Kafka: matters, conditions, retries, outputs."""

import pytest

from agents import fire_rescue, market_regulation
from streams.department import Department, reject
from streams.events import Event, emit
from streams.processing import DepartmentProcessor, HandlerFailed, decode_event
from streams.publisher import InvalidOutput, Publisher


def application(case_id="C-1", **overrides):
    payload = {
        "business_name": "阿娘面馆",
        "legal_representative": "ct_x",
        "address": "宁波",
        "premises_area_m2": 120.0,
        "staff_count": 4,
        "signboard_text": None,
        "channel": "ONLINE",
        "materials": list(market_regulation.RESTAURANT_MATERIALS),
        **overrides,
    }
    envelope = {
        "event_id": "11111111-1111-1111-1111-111111111111",
        "case_id": case_id,
        "correlation_id": case_id,
        "subject": "ct_x",
        "trace": "00-" + "a" * 32 + "-" + "b" * 16 + "-01",
    }
    return Event("RestaurantApplicationSubmitted", payload, envelope)


def processor(department, catalog, codec, **options):
    return DepartmentProcessor(
        department, Publisher(catalog, codec, producer=department.name, version="9"), **options
    )


async def test_a_licence_is_issued_with_the_envelope_filled_in(catalog, codec):
    records = (await processor(market_regulation.department, catalog, codec).process(application())).records
    [record] = records
    assert record.topic == "gov.market_regulation.business_license_issued.v1"
    assert record.key == b"C-1"
    envelope = record.event.envelope
    assert envelope["causation_id"] == "11111111-1111-1111-1111-111111111111"
    assert envelope["correlation_id"] == "C-1"
    assert envelope["producer"] == {"department": "market_regulation", "agent_version": "9"}
    assert envelope["subject"] == record.event.payload["uscc"]
    assert envelope["trace"].split("-")[1] == "a" * 32  # same trace, new span
    decoded = decode_event(codec, record.value)
    assert decoded.payload["business_name"] == "阿娘面馆"


async def test_handling_the_same_event_twice_yields_the_same_event_ids(catalog, codec):
    first = (await processor(market_regulation.department, catalog, codec).process(application())).records
    again = (await processor(market_regulation.department, catalog, codec).process(application())).records
    assert first[0].event.event_id == again[0].event.event_id


async def test_missing_materials_are_named_all_at_once(catalog, codec):
    event = application(materials=["business_premises_proof"])
    [record] = (await processor(market_regulation.department, catalog, codec).process(event)).records
    assert record.event.type == "MatterRejected"
    payload = record.event.payload
    assert payload["department"] == "market_regulation" and payload["matter"] == "business_license"
    assert set(payload["missing_materials"]) == {
        "legal_representative_id",
        "food_safety_management_system",
        "kitchen_layout",
    }
    assert len(payload["reasons"]) == 3


def licence(area):
    return Event(
        "BusinessLicenseIssued",
        {
            "uscc": "91330200205538859G",
            "premises_area_m2": area,
            "staff_count": 3,
            "signboard_text": None,
        },
        application().envelope,
    )


async def test_the_fire_check_runs_only_above_300_square_metres(catalog, codec):
    fire = processor(fire_rescue.department, catalog, codec)
    assert (await fire.process(licence(300.0))).records == []
    [record] = (await fire.process(licence(301.0))).records
    assert record.event.type == "FireSafetyInspectionPassed"


def flaky_department(failures: int):
    department = Department("flaky", "测试部门")
    calls = []

    @department.matter(
        "check",
        "检查",
        trigger="BusinessLicenseIssued",
        done="HealthCertificatesIssued",
        sla_working_days=1,
    )
    async def check(event):
        calls.append(event)
        if len(calls) <= failures:
            raise ConnectionError("backend down")
        return [emit("HealthCertificatesIssued", certificate_count=1)]

    return department, calls


async def test_a_failing_handler_is_retried_with_back_off(catalog, codec):
    department, calls = flaky_department(failures=2)
    records = (
        await processor(department, catalog, codec, backoff_seconds=0.001).process(licence(50.0))
    ).records
    assert len(calls) == 3 and records[0].event.type == "HealthCertificatesIssued"


async def test_a_handler_that_keeps_failing_reports_why(catalog, codec):
    department, calls = flaky_department(failures=10)
    with pytest.raises(
        HandlerFailed, match="flaky.check failed 3 times; last error ConnectionError: backend down"
    ):
        await processor(department, catalog, codec, backoff_seconds=0.001).process(licence(50.0))
    assert len(calls) == 3


def sloppy_department(output):
    """A department whose one matter returns ``output`` whatever it is given."""
    department = Department("sloppy", "测试部门")

    @department.matter(
        "check", "检查", trigger="BusinessLicenseIssued", done="HealthCertificatesIssued", sla_working_days=1
    )
    async def check(event):
        return [output]

    return department


async def test_an_undeclared_output_is_refused(catalog, codec):
    department = sloppy_department(emit("SignboardApproved", approval_no="1", signboard_text="x"))
    with pytest.raises(InvalidOutput, match="declares only"):
        await processor(department, catalog, codec).process(licence(50.0))


async def test_an_output_that_misfits_its_schema_is_refused(catalog, codec):
    department = sloppy_department(emit("HealthCertificatesIssued", certificate_count="three"))
    with pytest.raises(InvalidOutput, match="does not fit its schema"):
        await processor(department, catalog, codec).process(licence(50.0))


def test_rejections_carry_every_reason():
    rejection = reject("a", "b", missing_materials=["x"])
    assert rejection.payload == {"reasons": ["a", "b"], "missing_materials": ["x"]}
