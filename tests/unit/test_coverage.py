"""15分钟办事圈: walking time from coordinates, and the share of addresses a flow's points reach."""

from __future__ import annotations

import json

import pytest

from agents.service_points import ningbo_sample
from streams.coverage import AreaError, Walk, area_from_dict, coverage, distance_m, load_area

# Near 宁波 (29.87° N) a degree of longitude is about 96.5 km; one of latitude about 111.2 km.
LAT, LON = 29.87, 121.55


def north(metres: float) -> float:
    return LAT + metres / 111_195


def area(points, addresses):
    return area_from_dict(
        {
            "city": "测试市",
            "kinds": {
                "CENTER": {"display_name": "政务服务中心", "flows": "*"},
                "COMMUNITY": {"display_name": "社区便民服务站", "flows": ["newborn"]},
            },
            "districts": [{"code": "1", "name": "甲区", "points": points, "addresses": addresses}],
        }
    )


def test_distance_is_the_great_circle_distance():
    assert distance_m(LAT, LON, LAT + 1, LON) == pytest.approx(111_195, rel=1e-3)
    assert distance_m(LAT, LON, north(500), LON) == pytest.approx(500, rel=1e-3)
    assert distance_m(LAT, LON, LAT, LON) == 0


def test_fifteen_minutes_at_five_kmh_with_a_detour_reach_962_metres_in_a_straight_line():
    walk = Walk()
    assert walk.reach_m == pytest.approx(1250 / 1.3)
    assert walk.minutes_for(961) < 15 < walk.minutes_for(963)
    assert Walk(speed_kmh=4.0, detour_factor=1.0).reach_m == pytest.approx(1000)


def test_an_address_counts_for_a_flow_only_near_a_point_that_takes_that_flow():
    test_area = area(
        points=[
            {"id": "P", "name": "站", "kind": "COMMUNITY", "lat": LAT, "lon": LON},
            {"id": "C", "name": "中心", "kind": "CENTER", "lat": north(5000), "lon": LON},
        ],
        addresses=[
            {"id": "near", "lat": north(900), "lon": LON},  # 900 m × 1.3 = 14.0 minutes
            {"id": "far", "lat": north(1000), "lon": LON},  # 1000 m × 1.3 = 15.6 minutes
            {"id": "by the centre", "lat": north(4800), "lon": LON},
        ],
    )
    result = coverage(test_area, ["newborn", "open_restaurant"])
    assert result["flows"]["newborn"]["covered"] == 2  # the station and the centre both take it
    assert result["flows"]["newborn"]["share"] == pytest.approx(2 / 3)
    assert result["flows"]["open_restaurant"]["covered"] == 1  # only the centre takes it
    assert result["flows"]["open_restaurant"]["by_district"] == {"甲区": pytest.approx(1 / 3)}
    assert result["any_point_share"] == pytest.approx(2 / 3)
    slower = coverage(test_area, ["newborn"], Walk(speed_kmh=3.0))
    assert slower["flows"]["newborn"]["covered"] == 1


def test_a_point_may_say_which_flows_it_takes_instead_of_its_kinds():
    test_area = area(
        points=[{"id": "P", "name": "站", "kind": "COMMUNITY", "lat": LAT, "lon": LON, "flows": ["hiring"]}],
        addresses=[{"id": "a", "lat": LAT, "lon": LON}],
    )
    result = coverage(test_area, ["newborn", "hiring"])
    assert (result["flows"]["newborn"]["share"], result["flows"]["hiring"]["share"]) == (0.0, 1.0)


def test_the_shipped_sample_is_marked_illustrative_and_covers_individual_flows_best():
    assert "not official" in ningbo_sample.note
    assert set(ningbo_sample.districts.values()) == {"海曙区", "鄞州区", "北仑区"}
    result = coverage(ningbo_sample, ["social_security_card", "open_transport_company"])
    card, transport = result["flows"]["social_security_card"], result["flows"]["open_transport_company"]
    assert card["share"] > transport["share"] > 0  # terminals and stations take cards; only centres transport


def test_a_broken_file_is_named_with_its_problem(tmp_path):
    path = tmp_path / "area.json"
    path.write_text(
        json.dumps({"city": "x", "kinds": {"KIOSK": {"display_name": "?", "flows": "*"}}, "districts": []})
    )
    with pytest.raises(AreaError, match="area.json: unknown point kinds KIOSK"):
        load_area(path)
    path.write_text("{")
    with pytest.raises(AreaError, match="area.json"):
        load_area(path)
