"""All-of triggers: a join remembers a case's triggers, fires once when the last arrives, merges
their payloads (later wins) under the last trigger's envelope, and stores only JSON."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.joins import arrive, from_json, join_key, to_json
from streams.processing import DepartmentProcessor
from streams.publisher import Publisher

TRIGGERS = ("HouseholdChecked", "IncomeChecked")
AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def event(event_type: str, case_id: str = "C-1", **payload) -> Event:
    envelope = {"event_id": str(uuid.uuid4()), "case_id": case_id, "occurred_at": AT, "subject": "ct_x"}
    return Event(event_type, payload, envelope, topic=f"t.{event_type}")


def test_nothing_fires_until_every_trigger_is_in():
    state, merged = arrive(None, event("HouseholdChecked", city="宁波市"), TRIGGERS)
    assert merged is None and list(state["events"]) == ["HouseholdChecked"]


def test_the_last_trigger_fires_with_merged_payload_and_its_own_envelope():
    first, last = event("IncomeChecked", income=2500, shared="income"), event("HouseholdChecked", shared="hh")
    state, _ = arrive(None, first, TRIGGERS)
    state, merged = arrive(state, last, TRIGGERS)
    assert merged is not None
    assert merged.payload == {"income": 2500, "shared": "hh"}  # the later trigger wins
    assert merged.event_id == last.event_id and merged.type == last.type and merged.topic == last.topic
    assert merged.joined == (first.event_id, last.event_id)
    assert merged.occurred_at == AT


def test_a_join_fires_once_whatever_arrives_after():
    state, _ = arrive(None, event("HouseholdChecked"), TRIGGERS)
    state, merged = arrive(state, event("IncomeChecked"), TRIGGERS)
    assert merged is not None and state["events"] == {}
    for again in (event("IncomeChecked"), event("HouseholdChecked")):
        state, merged = arrive(state, again, TRIGGERS)
        assert merged is None


def test_the_state_is_json_and_dates_come_back_as_dates():
    born, tag = date(2020, 3, 15), uuid.uuid4()
    state, _ = arrive(None, event("HouseholdChecked", born=born, at=AT, tag=tag, kids=[born]), TRIGGERS)
    state = json.loads(json.dumps(state))
    _, merged = arrive(state, event("IncomeChecked"), TRIGGERS)
    assert merged is not None
    assert (merged["born"], merged["at"], merged["tag"], merged["kids"]) == (born, AT, tag, [born])
    assert from_json(to_json({"a": {"b": 1}})) == {"a": {"b": 1}}


def test_keys_name_the_case_and_the_matter():
    assert join_key("C-9", "housing.eligibility") == "C-9/housing.eligibility"


def test_a_department_declares_a_join_with_a_tuple_and_single_triggers_still_read():
    department = Department("housing", "住建局")
    department.matter("decide", "决定", trigger=TRIGGERS, done="Decided", sla_working_days=1)(handler)
    department.matter("one", "单", trigger="Applied", done="Accepted", sla_working_days=1)(handler)
    joined, single = department.matters
    assert (
        joined.triggers == TRIGGERS
        and joined.is_join
        and joined.trigger_text == "HouseholdChecked + IncomeChecked"
    )
    assert single.triggers == ("Applied",) and single.trigger == "Applied"
    assert department.triggers == ["Applied", "HouseholdChecked", "IncomeChecked"]
    with pytest.raises(ValueError, match="read .triggers"):
        _ = joined.trigger
    with pytest.raises(ValueError, match="distinct"):
        department.matter("bad", "坏", trigger=("A", "A"), done="B", sla_working_days=1)


seen: list[Event] = []


async def handler(event: Event) -> list[NewEvent]:
    seen.append(event)
    return [emit("Decided", ok=True)]


class FakePublisher:
    def build(self, new, *, cause, index=0, **_):
        return (new.type, cause.event_id, index)


def processor(when: Condition | None = None) -> DepartmentProcessor:
    department = Department("housing", "住建局")
    department.matter("decide", "决定", trigger=TRIGGERS, done="Decided", sla_working_days=1, when=when)(
        handler
    )
    fake: Publisher = FakePublisher()  # type: ignore[assignment]
    return DepartmentProcessor(department, fake, backoff_seconds=0)


async def test_the_processor_calls_the_handler_once_per_case_on_the_last_trigger():
    seen.clear()
    joins = processor()
    household, income = event("HouseholdChecked", a=1), event("IncomeChecked", b=2)
    assert await joins.handle(household) == []
    assert await joins.handle(income) == [("Decided", income.event_id, 0)]
    assert await joins.handle(event("IncomeChecked", b=3)) == []
    # Another case joins on its own.
    assert await joins.handle(event("IncomeChecked", case_id="C-2")) == []
    [call] = seen
    assert call.payload == {"a": 1, "b": 2} and call.joined == (household.event_id, income.event_id)


async def test_the_condition_reads_the_merged_payload():
    seen.clear()
    joins = processor(when=Condition("basis", "==", "LOCAL"))
    await joins.handle(event("HouseholdChecked", basis="LOCAL"))
    assert await joins.handle(event("IncomeChecked")) != []
    await joins.handle(event("HouseholdChecked", case_id="C-2", basis="MIGRANT"))
    assert await joins.handle(event("IncomeChecked", case_id="C-2")) == []


async def test_a_failing_handler_leaves_the_join_open_for_a_replay():
    department = Department("housing", "住建局")
    calls = []

    async def flaky(event: Event) -> list[NewEvent]:
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("register down")
        return [emit("Decided")]

    department.matter("decide", "决定", trigger=TRIGGERS, done="Decided", sla_working_days=1)(flaky)
    joins = DepartmentProcessor(department, FakePublisher(), attempts=1, backoff_seconds=0)  # type: ignore[arg-type]
    income = event("IncomeChecked")
    await joins.handle(event("HouseholdChecked"))
    with pytest.raises(Exception, match="register down"):
        await joins.handle(income)
    assert await joins.handle(income) == [("Decided", income.event_id, 0)]


async def test_a_failing_sibling_matter_leaves_the_join_open_for_a_replay():
    # One trigger completes a join and also starts another matter, whose handler fails: the whole
    # event is dead-lettered, so replaying it must still fire the join.
    department = Department("housing", "住建局")
    sibling_calls = []

    async def decide(event: Event) -> list[NewEvent]:
        return [emit("Decided")]

    async def notify(event: Event) -> list[NewEvent]:
        sibling_calls.append(event)
        if len(sibling_calls) == 1:
            raise RuntimeError("notice service down")
        return []

    department.matter("decide", "决定", trigger=TRIGGERS, done="Decided", sla_working_days=1)(decide)
    department.matter("notify", "告知", trigger="IncomeChecked", done="Noticed", sla_working_days=1)(notify)
    joins = DepartmentProcessor(department, FakePublisher(), attempts=1, backoff_seconds=0)  # type: ignore[arg-type]
    income = event("IncomeChecked")
    await joins.handle(event("HouseholdChecked"))
    with pytest.raises(Exception, match="notice service down"):
        await joins.handle(income)
    assert await joins.handle(income) == [("Decided", income.event_id, 0)]


async def test_a_fired_join_is_kept_for_the_retention_and_a_waiting_one_for_as_long_as_it_waits():
    from streams.retention import PARTITION, STAMP

    joins = processor()
    waiting = await joins.process(event("HouseholdChecked", a=1))
    waiting.settle(partition=2)
    [(_, key, state)] = waiting.writes
    assert STAMP not in joins.joins[key]  # a join still waiting is never purged
    fired = await joins.process(event("IncomeChecked", b=2))
    fired.settle(partition=2)
    assert joins.joins[key]["fired"] is not None and joins.joins[key][PARTITION] == 2
