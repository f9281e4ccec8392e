"""What the dashboard's pages show for a handful of restaurant cases, folded from their events."""

from __future__ import annotations

from datetime import datetime

from agents import fire_rescue, flows, health, market_regulation, urban_management
from streams.calendar import CHINA
from streams.dashboard import pages
from streams.dashboard.cases import fold_cases
from streams.envelope import new_envelope
from streams.events import Event
from streams.flows import FlowMap
from streams.tracker import from_millis

DEPARTMENTS = [d.department for d in (market_regulation, urban_management, fire_rescue, health)]
FLOW_MAP = FlowMap([flows.open_restaurant], DEPARTMENTS)
NAMES = {"fire_rescue": "消防救援支队", "market_regulation": "市场监管局"}
# Monday 16 November 2026, 09:00 Beijing time.
MONDAY = datetime(2026, 11, 16, 9, tzinfo=CHINA)
DAY_MS = 86400 * 1000


def at(event_type: str, case_id: str, day: float, **payload) -> Event:
    envelope = new_envelope(
        event_type=event_type,
        case_id=case_id,
        department="x",
        agent_version="1",
        subject="s",
        occurred_at=int(MONDAY.timestamp() * 1000 + day * DAY_MS),
    )
    # Decoded events carry datetimes, as the Avro logical type gives them back.
    envelope["occurred_at"] = from_millis(envelope["occurred_at"])
    return Event(event_type, payload, envelope)


def application(case_id: str, area: float) -> Event:
    return at(
        "RestaurantApplicationSubmitted",
        case_id,
        0,
        premises_area_m2=area,
        signboard_text=None,
        channel="ONLINE",
        materials=["a", "b"],
    )


def log() -> list[Event]:
    """C-DONE: a small restaurant, finished on day 1. C-LATE: a large one whose fire check never came."""
    done = [
        application("C-DONE", 80.0),
        at("BusinessLicenseIssued", "C-DONE", 0.1),
        at("FoodBusinessPermitIssued", "C-DONE", 1),
        at("HealthCertificatesIssued", "C-DONE", 1),
    ]
    done.append(
        at("CaseCompleted", "C-DONE", 1, flow="open_restaurant", elapsed_working_days=1.0, on_time=True)
    )
    late = [
        application("C-LATE", 450.0),
        at("BusinessLicenseIssued", "C-LATE", 0.1),
        at("FoodBusinessPermitIssued", "C-LATE", 2),
        at("HealthCertificatesIssued", "C-LATE", 2),
    ]
    return done + late


# Five weeks later: past the 13 working days of the flow and the fire check's own deadline.
LATER = datetime(2026, 12, 21, 9, tzinfo=CHINA)


def test_a_case_past_its_sla_shows_as_overdue_and_a_finished_one_as_completed():
    views = {v.case_id: v for v in fold_cases(log(), FLOW_MAP, LATER)}
    assert views["C-DONE"].state == "completed"
    assert views["C-LATE"].state == "overdue"

    overview = pages.overview(list(views.values()), [flows.open_restaurant])
    [restaurant] = overview["flows"]
    assert (restaurant["completed"], restaurant["overdue"], restaurant["open"]) == (1, 1, 0)
    late_row = next(c for c in overview["cases"] if c["case_id"] == "C-LATE")
    assert late_row["holders"] == ["fire_rescue"]


def test_the_fire_department_carries_the_overdue_check_in_its_backlog():
    data = pages.departments(fold_cases(log(), FLOW_MAP, LATER), NAMES, LATER)
    fire = next(d for d in data["departments"] if d["department"] == "fire_rescue")
    assert (fire["backlog"], fire["overdue"]) == (1, 1)
    [overdue] = data["overdue"]
    assert (overdue["case_id"], overdue["matter"]) == ("C-LATE", "fire_rescue.fire_safety_inspection")
    market = next(d for d in data["departments"] if d["department"] == "market_regulation")
    assert market["done"] == 4 and market["backlog"] == 0


def test_a_timeline_says_who_held_the_case_and_where_the_deadline_was_lost():
    events = [e for e in log() if e.case_id == "C-LATE"]
    [view] = fold_cases(events, FLOW_MAP, LATER)
    timeline = pages.case_timeline("C-LATE", events, view, NAMES, LATER)
    lost = [h["matter"] for h in timeline["holdings"] if h["deadline_lost"]]
    assert lost == ["fire_rescue.fire_safety_inspection"]
    licence = next(h for h in timeline["holdings"] if h["matter"] == "market_regulation.business_license")
    assert licence["name"] == "市场监管局" and licence["working_days"] == 0.1
    assert [e["type"] for e in timeline["events"]][0] == "RestaurantApplicationSubmitted"
    assert timeline["text"]  # the same lines `onething cases show` prints


def test_the_flow_map_counts_the_cases_on_each_declared_edge():
    [restaurant] = pages.flow_maps(fold_cases(log(), FLOW_MAP, LATER), FLOW_MAP, NAMES)
    edges = {(e["source"], e["target"]): e["count"] for e in restaurant["edges"]}
    assert edges[("RestaurantApplicationSubmitted", "market_regulation.business_license")] == 2
    assert edges[("market_regulation.business_license", "fire_rescue.fire_safety_inspection")] == 1
    fire = next(n for n in restaurant["nodes"] if n["id"] == "fire_rescue.fire_safety_inspection")
    assert (fire["held"], fire["done"]) == (1, 0)


def test_the_report_page_carries_the_service_measures_of_onething_report():
    from agents.bundles.restaurant_outlet import bundle

    data = pages.report(log(), [flows.open_restaurant], bundles=[bundle])

    [restaurant] = data["flows"]
    assert restaurant["channel_mix"]["ONLINE"] == 2 and restaurant["online_rate"] == 1.0
    assert restaurant["assisted"] == 0 and restaurant["cross_region"] == 0
    assert "instant_rate" in restaurant and restaurant["on_time_rate"] == 1.0
    assert data["channels"]["online_target"] == 0.85
    assert [b["name"] for b in data["bundles"]] == ["open_restaurant_outlet"]


def test_a_refold_reuses_ended_cases_and_folds_open_ones_against_the_new_time():
    from datetime import timedelta

    from streams.dashboard.cases import by_case, fold_grouped

    grouped = by_case(log())
    first, ended = fold_grouped(grouped, FLOW_MAP, MONDAY + timedelta(days=1))
    assert {v.case_id: v.state for v in first} == {"C-DONE": "completed", "C-LATE": "open"}
    assert set(ended) == {"C-DONE"}

    again, _ = fold_grouped(grouped, FLOW_MAP, LATER, ended)
    views = {v.case_id: v for v in again}
    assert views["C-DONE"] is next(v for v in first if v.case_id == "C-DONE")  # not folded again
    assert views["C-LATE"].state == "overdue"  # the clock moved past its deadline

    grouped["C-DONE"].append(at("MatterRejected", "C-DONE", 2, department="health", matter="x", reasons=[]))
    refolded, _ = fold_grouped(grouped, FLOW_MAP, LATER, ended)
    assert next(v for v in refolded if v.case_id == "C-DONE") is not views["C-DONE"]  # a new event counts
