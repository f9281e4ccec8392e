"""`onething departments list` and `onething flows list`, as a user sees them."""

from __future__ import annotations

import json

import pytest

from streams.cli import main
from streams.terminal import width
from tests.unit.commands.running import run


def test_departments_are_listed_with_their_matters_in_aligned_columns(capsys):
    code, out, _ = run(capsys, "departments", "list")
    assert code == 0
    lines = out.splitlines()
    assert "市场监管局 market_regulation 1.0.0" in lines
    header = next(
        i for i, line in enumerate(lines) if line.startswith("  matter") and "营业执照" in lines[i + 2]
    )
    licence = next(line for line in lines[header:] if "business_license" in line)
    # CJK names take two columns: the trigger column starts at the same terminal column.
    assert width(lines[header][: lines[header].index("trigger")]) == width(
        licence[: licence.index("RestaurantApplicationSubmitted")]
    )
    assert "premises_area_m2 > 300" in out
    assert 'signboard_text != ""' in out
    assert "business_premises_proof, legal_representative_id" in licence
    assert lines[-1].endswith("matters (SLA in working days)")


def test_departments_json_has_every_declared_field(capsys):
    code, out, _ = run(capsys, "departments", "list", "--json")
    assert code == 0
    departments = {d["name"]: d for d in json.loads(out)}
    fire = departments["fire_rescue"]
    assert fire["display_name"] == "消防救援支队"
    inspection = next(m for m in fire["matters"] if m["name"] == "fire_safety_inspection")
    assert set(inspection) == {
        "name",
        "key",
        "display_name",
        "trigger",
        "triggers",
        "done",
        "emits",
        "sla_working_days",
        "materials",
        "condition",
    }
    assert inspection["key"] == "fire_rescue.fire_safety_inspection"
    assert inspection["display_name"] == "公众聚集场所营业前消防安全检查"
    assert (inspection["trigger"], inspection["done"]) == (
        "BusinessLicenseIssued",
        "FireSafetyInspectionPassed",
    )
    assert inspection["triggers"] == ["BusinessLicenseIssued"]
    assert "MatterRejected" in inspection["emits"]
    assert inspection["condition"] == "premises_area_m2 > 300"
    assert isinstance(inspection["sla_working_days"], int) and isinstance(inspection["materials"], list)


def test_flows_are_listed_with_steps_and_published_figures(capsys):
    code, out, _ = run(capsys, "flows", "list")
    assert code == 0
    assert "开办餐饮店 open_restaurant · enterprise · lead 市场监管局 · SLA 13 working days" in out
    assert "  application RestaurantApplicationSubmitted" in out
    signboard = next(line for line in out.splitlines() if "urban_management.outdoor_signboard" in line)
    assert "户外招牌设置" in signboard and "城市管理局" in signboard
    assert "market_regulation.business_license" in signboard and 'signboard_text != ""' in signboard
    assert "  published 四川: 申请材料 35 → 17 · 办理环节 17 → 2 · 办理时限(工作日) 48 → 13" in out


def test_flows_json_names_each_steps_department_order_and_condition(capsys):
    code, out, _ = run(capsys, "flows", "list", "--json")
    assert code == 0
    restaurant = next(f for f in json.loads(out) if f["name"] == "open_restaurant")
    assert restaurant["application"] == "RestaurantApplicationSubmitted"
    assert restaurant["lead_display_name"] == "市场监管局"
    fire = next(s for s in restaurant["steps"] if s["matter"] == "fire_rescue.fire_safety_inspection")
    assert fire == {
        "matter": "fire_rescue.fire_safety_inspection",
        "after": ["market_regulation.business_license"],
        "display_name": "公众聚集场所营业前消防安全检查",
        "department": "fire_rescue",
        "department_display_name": "消防救援支队",
        "condition": "premises_area_m2 > 300",
    }
    assert restaurant["published"]["before"]["working_days"] == 48


@pytest.mark.parametrize("argv", [["departments", "show"], ["flows"], ["departments", "list", "--yaml"]])
def test_wrong_arguments_get_one_line(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("onething: ") and err.count("\n") == 1
