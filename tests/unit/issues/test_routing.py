"""Routing by category, tier and difficulty; re-routing after objections."""

import pytest

from streams.issues.routing import CATEGORIES, DEPARTMENTS, assign, department_name, difficulty_of


def test_every_category_routes_to_known_departments():
    for category in CATEGORIES.values():
        assert set(category.candidates) | set(category.assisting) <= set(DEPARTMENTS), category.code


def test_ordinary_issues_go_to_one_department_at_their_tier():
    assignment = assign("employment", "TOWNSHIP", "ORDINARY")
    assert (assignment.mode, assignment.lead, assignment.assisting, assignment.tier) == (
        "SINGLE",
        "human_resources",
        (),
        "TOWNSHIP",
    )
    assert "用工" in assignment.reason


def test_cross_department_issues_get_a_lead_with_assisting_departments():
    assignment = assign("policy_fulfilment", "COUNTY", "CROSS_DEPARTMENT")
    assert assignment.mode == "LEAD_ASSIST"
    assert (assignment.lead, assignment.assisting) == ("economy_information", ("finance",))


def test_a_cross_department_category_judged_ordinary_needs_no_assistance():
    assert assign("arrears", "COUNTY", "ORDINARY").mode == "SINGLE"


def test_hard_issues_go_to_the_city_joint_meeting():
    assignment = assign("land", "TOWNSHIP", "HARD")
    assert (assignment.mode, assignment.tier, assignment.lead) == (
        "JOINT_MEETING",
        "CITY",
        "natural_resources",
    )
    assert assignment.assisting == ("housing",)


def test_objections_skip_a_department_and_prefer_the_suggested_one():
    assert assign("logistics", "COUNTY", "ORDINARY", objected=["transport"]).lead == "postal"
    suggested = assign("logistics", "COUNTY", "ORDINARY", objected=["transport"], suggested="commerce")
    assert suggested.lead == "commerce" and "按异议建议改派" in suggested.reason
    # A suggestion naming a department that already objected is ignored.
    assert assign(
        "logistics", "COUNTY", "ORDINARY", objected=["transport", "postal"], suggested="postal"
    ).lead == ("commerce")


def test_when_no_candidate_is_left_the_business_environment_bureau_convenes():
    assignment = assign("tax", "COUNTY", "ORDINARY", objected=["tax"])
    assert (assignment.mode, assignment.lead, assignment.assisting) == (
        "JOINT_MEETING",
        "business_environment",
        ("tax",),
    )


def test_difficulty_defaults_to_the_category_and_unknown_categories_are_named():
    assert difficulty_of("arrears", None) == "CROSS_DEPARTMENT"
    assert difficulty_of("arrears", "HARD") == "HARD"
    with pytest.raises(ValueError, match="unknown issue category 'rent'"):
        assign("rent", "CITY", "ORDINARY")


def test_display_names_carry_the_tier():
    assert department_name("tax", "TOWNSHIP") == "乡镇（街道）税务局"
    assert department_name("tax") == "税务局"
