"""The case tracker's state per open case, with many cases open at once.

Each case is folded through the real CaseTracker up to its licence (open, four matters to go).
Two sizes are taken: the JSON the ``cases`` table writes to its changelog (key + value), and the
in-memory size of the table's values as a worker holds them after recovering them from that
changelog (tracemalloc over a dict of JSON-decoded states). The figure is the in-memory size,
the larger of the two; the baseline is the Avro size of the two events that opened the case.
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
from streams.events import NewEvent
from streams.flows import FlowMap
from streams.identifiers import make_uscc
from streams.publisher import Publisher
from streams.service_desk import DESK
from streams.tracker import OPEN, CaseTracker

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
    """Bytes tracemalloc sees for a dict of the decoded states (the memory store's shape)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        table = {str(key): json.loads(value) for key, value in serialized.items()}
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del table
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
        unit="bytes of in-memory table state per open case (tracemalloc, states decoded from JSON)",
        baseline_is="Avro bytes of the events folded into the case (application and licence)",
        details={"open_cases": cases, "changelog_bytes_per_case": changelog / cases},
    )
