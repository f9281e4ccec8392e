"""Handling times: each case draws how long a matter takes, and the department holds its outputs
until then; a release event publishes them under the ids they would have had at once."""

from datetime import UTC, datetime
from statistics import mean

import pytest

from agents import market_regulation, urban_management
from streams.calendar import add_working_days, working_days_between
from streams.config import Settings
from streams.deadline_index import DeadlineIndex, IndexedCases
from streams.department import Department
from streams.events import Event, emit
from streams.handling import HIGH, LOW, due_of, handling_days, release
from streams.processing import DepartmentProcessor, decode_event
from streams.publisher import Publisher
from streams.runtime import Worker, create_app
from streams.startup import Connection
from streams.tracker import from_millis, millis

# A Tuesday morning in Beijing, clear of holidays for weeks.
TRIGGERED = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)


def licence(case_id: str = "C-1") -> Event:
    return Event(
        "BusinessLicenseIssued",
        {
            "uscc": "91330200205538859G",
            "business_name": "阿娘面馆",
            "address": "宁波",
            "premises_area_m2": 120.0,
            "staff_count": 3,
            "signboard_text": None,
        },
        {
            "event_id": "22222222-2222-2222-2222-222222222222",
            "case_id": case_id,
            "correlation_id": case_id,
            "subject": "91330200205538859G",
            "trace": "00-" + "a" * 32 + "-" + "b" * 16 + "-01",
            "occurred_at": TRIGGERED,
        },
        "gov.market_regulation.business_license_issued.v1",
    )


def publisher(catalog, codec, name: str) -> Publisher:
    return Publisher(catalog, codec, producer=name, version="9")


def two_speeds() -> Department:
    """One trigger, two matters: one answered at once, one that takes days."""
    department = Department("two_speeds", "测试部门")

    @department.matter(
        "quick", "快", trigger="BusinessLicenseIssued", done="HealthCertificatesIssued", sla_working_days=1
    )
    async def quick(event):
        return [emit("HealthCertificatesIssued", certificate_count=1)]

    @department.matter(
        "slow",
        "慢",
        trigger="BusinessLicenseIssued",
        done="HealthCertificatesIssued",
        sla_working_days=5,
        typical_working_days=3,
    )
    async def slow(event):
        return [emit("HealthCertificatesIssued", certificate_count=2)]

    return department


def test_a_draw_is_the_same_every_time_for_a_case_and_matter():
    first = handling_days("C-1", "market_regulation.food_business_permit", 8)
    assert handling_days("C-1", "market_regulation.food_business_permit", 8) == first
    assert handling_days("C-2", "market_regulation.food_business_permit", 8) != first
    assert handling_days("C-1", "fire_rescue.fire_safety_inspection", 8) != first


def test_draws_stay_within_bounds_and_average_the_typical_time():
    draws = [handling_days(f"C-{n}", "fire_rescue.fire_safety_inspection", 7) for n in range(5000)]
    assert all(LOW * 7 <= d <= HIGH * 7 for d in draws)
    assert mean(draws) == pytest.approx(7, rel=0.03)
    # Most cases finish within the 10-day SLA, some run late.
    late = sum(d > 10 for d in draws) / len(draws)
    assert 0.05 < late < 0.25


def test_a_matter_without_a_typical_time_takes_none():
    assert handling_days("C-1", "market_regulation.business_license", 0) == 0.0


def test_a_typical_time_beyond_the_sla_is_refused():
    department = Department("slow", "慢")
    with pytest.raises(ValueError, match="between 0 and sla_working_days"):
        department.matter("m", "事", trigger="A", done="B", sla_working_days=2, typical_working_days=3)


async def test_without_handling_times_the_outputs_leave_at_once(catalog, codec):
    processor = DepartmentProcessor(two_speeds(), publisher(catalog, codec, "two_speeds"))
    step = await processor.process(licence())
    assert [r.event["certificate_count"] for r in step.records] == [1, 2]


async def test_a_held_matter_waits_its_drawn_time_then_leaves_with_the_ids_it_would_have_had(catalog, codec):
    out = publisher(catalog, codec, "two_speeds")
    at_once = (await DepartmentProcessor(two_speeds(), out).process(licence())).records
    holds: dict = {}
    processor = DepartmentProcessor(two_speeds(), out, holds=holds)

    # The trigger: the quick matter answers, the slow one's output waits in the holds table.
    step = await processor.process(licence())
    assert [r.event.event_id for r in step.records] == [at_once[0].event.event_id]
    assert holds == {}  # written only once the records are acknowledged
    step.settle()
    [(key, held)] = holds.items()
    days = handling_days("C-1", "two_speeds.slow", 3)
    assert held["due_at"] == millis(add_working_days(TRIGGERED, days))

    # Due: the timer publishes the release; the department, folding it in, publishes the output.
    elapsed = decode_event(codec, release(out, key, held).value)
    assert elapsed.type == "HandlingTimeElapsed" and elapsed["hold"] == key
    step = await processor.process(elapsed)
    [record] = step.records
    assert record.event.event_id == at_once[1].event.event_id
    assert record.event.payload == at_once[1].event.payload
    assert working_days_between(
        TRIGGERED, from_millis(record.event.envelope["occurred_at"])
    ) == pytest.approx(days, abs=1e-6)

    # Handled again before settling (a crash, a redelivery): the same ids again.
    again = await processor.process(elapsed)
    assert [r.event.event_id for r in again.records] == [record.event.event_id]
    step.settle()
    assert holds == {}
    assert (await processor.process(elapsed)).records == []  # released already


async def test_a_held_licence_permit_keeps_its_dates_and_ids(catalog, codec):
    out = publisher(catalog, codec, "market_regulation")
    [permit] = (await DepartmentProcessor(market_regulation.department, out).process(licence())).records
    holds: dict = {}
    processor = DepartmentProcessor(market_regulation.department, out, holds=holds)
    (await processor.process(licence())).settle()
    [(key, held)] = holds.items()

    [released] = (await processor.process(decode_event(codec, release(out, key, held).value))).records
    assert released.event.event_id == permit.event.event_id
    assert released.event.payload == permit.event.payload  # a date survives the holds table
    assert decode_event(codec, released.value).payload["valid_until"] == permit.event.payload["valid_until"]


async def test_another_departments_release_is_not_ours(catalog, codec):
    holds: dict = {}
    processor = DepartmentProcessor(two_speeds(), publisher(catalog, codec, "two_speeds"), holds=holds)
    (await processor.process(licence())).settle()
    [(key, held)] = holds.items()
    theirs = release(publisher(catalog, codec, "someone_else"), key, held)
    assert (await processor.process(decode_event(codec, theirs.value))).records == []
    assert key in holds


async def test_the_release_has_a_stable_id_apart_from_the_outputs(catalog, codec):
    out = publisher(catalog, codec, "two_speeds")
    holds: dict = {}
    processor = DepartmentProcessor(two_speeds(), out, holds=holds)
    step = await processor.process(licence())
    step.settle()
    [(key, held)] = holds.items()
    first, second = release(out, key, held), release(out, key, held)
    assert first.event.event_id == second.event.event_id
    assert first.event.event_id not in {r.event.event_id for r in step.records}
    assert first.key == b"C-1"  # the case's partition, where the hold lives


async def test_the_index_names_a_hold_once_it_is_due_and_forgets_it_once_released(catalog, codec):
    holds = IndexedCases({}, DeadlineIndex(due_of))
    holds.index.rebuild([])
    processor = DepartmentProcessor(two_speeds(), publisher(catalog, codec, "two_speeds"), holds=holds)
    (await processor.process(licence())).settle()
    [(key, held)] = holds.table.items()
    assert holds.index.late(held["due_at"] - 1) == []
    assert holds.index.late(held["due_at"] + 1) == [key]

    holds.index.rebuild(holds.table.items())  # after a rebalance
    step = await processor.process(decode_event(codec, release(processor.publisher, key, held).value))
    step.settle()
    assert len(holds.index) == 0 and holds.index.late(held["due_at"] + 1) == []


@pytest.mark.parametrize("on", [False, True])
def test_only_departments_with_handling_times_get_holds_and_read_releases(catalog, codec, tmp_path, on):
    settings = Settings(home=tmp_path, metrics_port=0, handling_times=on)
    connection = Connection(settings, catalog, codec, "")
    app = create_app(connection, app_id="handling")
    worker = Worker(app, connection)
    worker.add_department(market_regulation.department)  # a food permit takes days
    worker.add_department(urban_management.department)  # a signboard is decided at once

    topics = {agent.name: set(agent.channel.topics) for agent in app.agents.values()}
    reads_releases = {
        name for name, names in topics.items() if "gov.onething.handling_time_elapsed.v1" in names
    }
    assert reads_releases == ({"onething.market_regulation"} if on else set())
    assert ("market_regulation-holds" in app.tables) is on
    assert "urban_management-holds" not in app.tables
