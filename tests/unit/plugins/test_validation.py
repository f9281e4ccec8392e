"""`when` fields are checked on the trigger and on the application, with their types."""

from __future__ import annotations

from datetime import date

import pytest

from streams import Condition, Department, Flow, Step
from streams.cli import main
from streams.validation import condition_problem, flow_when_problems, when_problems

ENUM = {"type": "enum", "name": "Channel", "symbols": ["ONLINE", "COUNTER"]}
DATE = {"type": "int", "logicalType": "date"}


@pytest.mark.parametrize(
    ("condition", "avro_type"),
    [
        (Condition("area", ">", 300), "double"),
        (Condition("staff", ">", 0), "int"),
        (Condition("claim", "==", True), "boolean"),
        (Condition("sign", "!=", ""), "string"),
        (Condition("channel", "==", "ONLINE"), ENUM),
        (Condition("born", "<", date(2020, 1, 1)), DATE),
        (Condition("name", "==", None), "string"),
    ],
)
def test_conditions_that_can_hold(condition, avro_type):
    assert condition_problem(condition, avro_type) is None


@pytest.mark.parametrize(
    ("condition", "avro_type", "reason"),
    [
        (Condition("retiree", ">", 3), "string", "compares a string field with > to 3"),
        (Condition("area", ">", "300"), "double", "compares a double field with '300'"),
        (Condition("claim", "==", 1), "boolean", "compares a boolean field with 1"),
        (Condition("claim", ">", False), "boolean", "orders a boolean field with >"),
        (Condition("channel", "==", "POST"), ENUM, "compares with 'POST', not one of ONLINE, COUNTER"),
        (Condition("born", "<", "2020-01-01"), DATE, "compares a date field with '2020-01-01'"),
        (Condition("staff", "==", True), "int", "compares an int field with True"),
    ],
)
def test_conditions_that_cannot(condition, avro_type, reason):
    assert condition_problem(condition, avro_type) == reason


def department_with(when: Condition, trigger: str = "RestaurantApplicationSubmitted") -> Department:
    department = Department("inspection", "检查站")

    @department.matter(
        "check", "检查", trigger=trigger, done="FireSafetyInspectionPassed", sla_working_days=1, when=when
    )
    async def check(event):
        return []

    return department


def test_a_when_field_missing_from_the_trigger_is_named(catalog):
    [problem] = when_problems(department_with(Condition("floors", ">", 2)).matters, catalog)
    assert str(problem) == (
        "department inspection, matter check (inspection.check): when floors > 2: "
        "RestaurantApplicationSubmitted has no field floors"
    )


def test_a_when_field_missing_from_the_application_is_named_with_the_flow(catalog):
    # On the trigger (BusinessLicenseIssued carries the area), but not on the newborn application.
    department = department_with(Condition("premises_area_m2", ">", 300), trigger="BusinessLicenseIssued")
    flow = Flow(
        name="odd",
        display_name="怪",
        lead="inspection",
        application="NewbornApplicationSubmitted",
        steps=(Step(matter="inspection.check"),),
        sla_working_days=1,
    )
    assert when_problems(department.matters, catalog) == []
    [problem] = flow_when_problems(flow, {m.key: m for m in department.matters}, catalog)
    assert str(problem) == (
        "flow odd, department inspection, matter check (inspection.check): when premises_area_m2 > 300: "
        "NewbornApplicationSubmitted has no field premises_area_m2"
    )


def test_a_mistyped_condition_names_flow_department_matter_and_field(catalog):
    department = department_with(Condition("business_name", ">", 5))
    flow = Flow(
        name="odd",
        display_name="怪",
        lead="inspection",
        application="RestaurantApplicationSubmitted",
        steps=(Step(matter="inspection.check"),),
        sla_working_days=1,
    )
    [problem] = flow_when_problems(flow, {m.key: m for m in department.matters}, catalog)
    assert str(problem) == (
        "flow odd, department inspection, matter check (inspection.check): when business_name > 5: "
        "field business_name of RestaurantApplicationSubmitted compares a string field with > to 5"
    )


# Plugged in through ONETHING_EXTRA_DEPARTMENTS by the test below.
mistyped = department_with(Condition("premises_area_m2", ">", "300"))


def test_graph_check_refuses_a_mistyped_when(monkeypatch, capsys):
    monkeypatch.setenv("ONETHING_EXTRA_DEPARTMENTS", f"{__name__}:mistyped")
    assert main(["graph", "--check"]) == 1
    err = capsys.readouterr().err
    assert (
        "department inspection, matter check (inspection.check): when premises_area_m2 > 300: field "
        "premises_area_m2 of RestaurantApplicationSubmitted compares a double field with '300'"
    ) in err


def test_the_declared_flows_and_departments_have_no_when_problem(catalog):
    from streams import discovery

    found = discovery.discover()
    matters = {m.key: m for d in found.departments for m in d.matters}
    assert when_problems(matters.values(), catalog) == []
    assert [p for f in found.flows for p in flow_when_problems(f, matters, catalog)] == []
