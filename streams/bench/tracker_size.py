"""The case tracker's state per open case, with many cases open at once.

Each case is folded through the real CaseTracker up to its licence (open, four matters to go).
Two sizes are taken: the JSON the ``cases`` table writes to its changelog (key + value), and what
the tracker holds in memory per open case after recovering the table from that changelog
(tracemalloc over the worker's own structures: the packed table store, keys and partitions
included, and the deadline index over it). The figure is the in-memory size; the baseline is the
Avro size of the two events that opened the case.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from random import Random
from typing import Any

from streams import discovery
from streams.bench.figures import Figure, Target
from streams.bench.restaurant import application
from streams.bench.samples import offline_codec
from streams.contracts import default_catalog
from streams.deadline_index import DeadlineIndex
from streams.events import NewEvent
from streams.flows import FlowMap
from streams.identifiers import make_uscc
from streams.packed_store import PackedMapping
from streams.publisher import Publisher
from streams.service_desk import DESK
from streams.tracker import OPEN, CaseTracker, next_deadline

TARGET = Target("<=", 1024, on="value")


def open_case_states(count: int, *, seed: int = 5) -> tuple[dict[str, str], int]:
    """``count`` open restaurant cases' table entries as JSON (what the changelog holds), and the
    total Avro bytes of the events folded into them."""
    catalog = default_catalog()
    codec = offline_codec(catalog)
    desk = Publisher(catalog, codec, producer=DESK, version="bench")
    licensing = Publisher(catalog, codec, producer="market_regulation", version="bench")
    tracker = CaseTracker(FlowMap(discovery.flows(), discovery.departments()), desk)
    rng = Random(seed)
    tables: dict[str, str] = {}
    event_bytes = 0
    for number in range(count):
        case_id = f"OR-{number:012d}"
        payload, subject = application(rng)
        applied = desk.build(
            NewEvent("RestaurantApplicationSubmitted", payload, subject), cause=None, case_id=case_id
        )
        uscc = make_uscc(case_id)
        licensed = licensing.build(
            NewEvent(
                "BusinessLicenseIssued",
                {
                    "uscc": uscc,
                    "business_name": payload["business_name"],
                    "address": payload["address"],
                    "premises_area_m2": payload["premises_area_m2"],
                    "staff_count": payload["staff_count"],
                    "signboard_text": payload["signboard_text"],
                },
                uscc,
            ),
            cause=applied.event,
        )
        state: dict[str, Any] | None = None
        for record in (applied, licensed):
            state, _ = tracker.apply(state, record.event)
            event_bytes += len(record.value)
        assert state is not None and state["status"] == OPEN
        tables[case_id] = json.dumps(state)
    return tables, event_bytes


def resident_bytes(serialized: dict[str, str]) -> int:
    """Bytes tracemalloc sees for the tracker's table and deadline index, recovered from JSON."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        # PackedStore's two structures: the values, and each key's partition as recovery records it.
        table, partitions = PackedMapping(), {}
        for number, (key, value) in enumerate(serialized.items()):
            recovered = json.loads(json.dumps(key))  # a key object of its own, as recovery makes
            table[recovered] = json.loads(value)
            partitions[recovered] = number % 3
        index = DeadlineIndex(next_deadline)
        index.rebuild(table.items())
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(index) == len(serialized)
    del table, partitions, index
    return after - before


def measure_tracker(*, cases: int = 100_000) -> Figure:
    serialized, event_bytes = open_case_states(cases)
    changelog = sum(len(key.encode()) + len(value.encode()) for key, value in serialized.items())
    memory = resident_bytes(serialized)
    return Figure(
        "tracker_bytes_per_open_case",
        memory / cases,
        event_bytes / cases,
        TARGET,
        unit="bytes the tracker holds in memory per open case (tracemalloc: packed table and deadline index)",
        baseline_is="Avro bytes of the events folded into the case (application and licence)",
        details={"open_cases": cases, "changelog_bytes_per_case": changelog / cases},
    )
