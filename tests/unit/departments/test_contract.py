"""The contract every department keeps, whoever wrote it: it declares itself completely, against
contracts that exist; and each matter, given a real trigger, ends in its done event or one
rejection with its reasons in Chinese, encoded against the schema."""

from __future__ import annotations

import asyncio
import re

import pytest

from streams import discovery
from streams.department import REJECTED, Department, Matter
from streams.events import Event
from streams.processing import DepartmentProcessor, decode_event
from streams.publisher import Publisher
from tests.unit.flows.cases import observed_events

DEPARTMENTS = discovery.departments()
MATTERS = [(d, m) for d in DEPARTMENTS for m in d.matters]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
TRIGGERS_PER_MATTER = 40


@pytest.mark.parametrize("department", DEPARTMENTS, ids=lambda d: d.name)
def test_a_department_declares_every_matter_against_existing_contracts(department: Department, catalog):
    assert CHINESE.search(department.display_name), "display names are Chinese"
    assert department.matters
    for matter in department.matters:
        assert matter.display_name.strip() and matter.sla_working_days > 0, matter.key
        for event in (*matter.triggers, *matter.emits):
            assert event in catalog, f"{matter.key}: {event} has no schema"
        if matter.when:
            # A joined matter's condition reads the merged payload: some trigger must carry the field.
            fields = {f["name"] for t in matter.triggers for f in catalog[t].payload_fields}
            assert matter.when.field in fields, f"{matter.key}: its triggers have no {matter.when.field}"


def triggers_of(matter: Matter) -> list[list[Event]]:
    """Sets of trigger events, one set per firing: one event, or every trigger of a join in a case."""
    by_case: dict[str, dict[str, Event]] = {}
    for event in observed_events():
        if event.type in matter.triggers:
            by_case.setdefault(event.case_id, {})[event.type] = event
    firings = [list(seen.values()) for seen in by_case.values() if len(seen) == len(matter.triggers)]
    merged = [{k: v for e in firing for k, v in e.payload.items()} for firing in firings]
    holds = [f for f, p in zip(firings, merged, strict=True) if matter.when is None or matter.when.holds(p)]
    return holds[:TRIGGERS_PER_MATTER]


@pytest.mark.parametrize(("department", "matter"), MATTERS, ids=lambda x: getattr(x, "key", ""))
def test_a_matter_ends_in_its_done_event_or_one_rejection(department, matter, catalog, codec):
    # Sync on purpose: the flows run in memory (once, cached) on their own event loop.
    triggers = triggers_of(matter)
    if not triggers:
        pytest.skip(f"{matter.key} is in no flow, so no application sets it off")
    solo = Department(department.name, department.display_name)
    solo.matters.append(matter)
    # Raises InvalidOutput on an undeclared event or one that does not fit its schema.
    processor = DepartmentProcessor(solo, Publisher(catalog, codec, producer=department.name, version="1"))

    async def handle_all():
        # A join answers only its last trigger: the records of a firing are those of all its events.
        return [[r for trigger in firing for r in await processor.handle(trigger)] for firing in triggers]

    for records in asyncio.run(handle_all()):
        [record] = records
        event = decode_event(codec, record.value)
        assert event.type in (matter.done, REJECTED)
        if event.type == REJECTED:
            assert event["reasons"] and all(CHINESE.search(r) for r in event["reasons"]), event["reasons"]
