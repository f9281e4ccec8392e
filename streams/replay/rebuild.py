"""Rebuild the tracker's and the issue loop's projections from offset zero and compare with live.

The live projections are the worker's faust tables, read from their changelog topics (the latest
value per key is the table). The rebuilt ones fold every event of the log, each event id once, in
the order the log holds them, through the same pure code the worker runs (CaseTracker.apply,
IssueMachine.apply, pool.apply) into fresh dictionaries. Any difference is printed field by field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from streams import discovery
from streams.flows import FlowMap
from streams.issues import model as m
from streams.issues import pool
from streams.issues.deadlines import load_book
from streams.issues.machine import INPUTS, IssueMachine
from streams.publisher import Publisher
from streams.replay.reader import Located, LogReader
from streams.retention import PARTITION, STAMP
from streams.tracker import OPEN, CaseTracker, as_kept

CASES, ISSUES, POOL = "cases", "issues", "issue-pool"
PROJECTIONS = (CASES, ISSUES, POOL)
# Fields that list what was folded in the order it arrived. A worker reads many topics at once, so
# that order across topics is not in the log: these compare as sets (same members, any order).
ORDER_FREE = {CASES: frozenset({"done", "seen", "departments"}), ISSUES: frozenset({"seen"})}
# Which event the worker happened to fold last (the cause it gives a deadline notice): arrival
# order again, with nothing in the log to rebuild it from; not compared.
ARRIVAL_ONLY = {CASES: frozenset({"last"})}


@dataclass(frozen=True)
class Difference:
    projection: str
    key: str
    field: str
    live: Any
    rebuilt: Any

    def __str__(self) -> str:
        where = f"{self.projection} {self.key}" + (f" {self.field}" if self.field else "")
        return f"{where}: live {_short(self.live)}, rebuilt {_short(self.rebuilt)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "…"


def changelog_topic(app_id: str, table: str) -> str:
    return f"{app_id}-{table}-changelog"


def in_log_order(records: Iterable[Located]) -> list[Located]:
    """Each event id once, in the order the broker took them (a redelivered copy is dropped)."""
    seen: set[str] = set()
    ordered = []
    for record in sorted(records, key=lambda r: (r.timestamp, r.topic, r.partition, r.offset)):
        if record.event.event_id not in seen:
            seen.add(record.event.event_id)
            ordered.append(record)
    return ordered


def fold_projections(
    records: Iterable[Located], tracker: CaseTracker, machine: IssueMachine
) -> dict[str, dict[str, Any]]:
    """Fresh projections from events, as the worker's agents would have written them."""
    cases: dict[str, Any] = {}
    issues: dict[str, Any] = {}
    pools: dict[str, Any] = {}
    tracked = tracker.event_types
    ordered = in_log_order(records)
    # An action the issue loop refused changed nothing. Folded here in the broker's order, beside
    # events of other topics the loop took in another order, it might not be refused again.
    refused = {
        r.event.causation_id for r in ordered if r.event.type == m.REFUSED and r.event.producer == m.LOOP
    }
    for record in ordered:
        event = record.event
        if not admitted(record):
            continue  # the agents dead-letter it: it changed no state
        if event.type in tracked:
            state, _ = tracker.apply(cases.get(event.case_id), event)
            cases[event.case_id] = as_kept(state)  # as the worker writes it
        if event.type in INPUTS and event.event_id not in refused:
            state, _ = machine.apply(issues.get(event.case_id), event)
            if state is not None:
                issues[event.case_id] = state
        if event.type in (m.RAISED, m.CLOSED):
            pools[event.subject], _ = pool.apply(pools.get(event.subject), event)
    return {CASES: cases, ISSUES: issues, POOL: pools}


def admitted(record: Located) -> bool:
    """As the agents' intake judges it: on its own type's topic, keyed by its case id."""
    return record.topic == record.event.topic and record.key == record.event.case_id.encode()


def compare(live: Mapping[str, Any], rebuilt: Mapping[str, Any], projection: str) -> list[Difference]:
    """Field by field, key by key; a key on one side only is one difference."""
    order_free = ORDER_FREE.get(projection, frozenset())
    # When and where the worker wrote an entry (for its retention) is not part of the projection.
    skipped = ARRIVAL_ONLY.get(projection, frozenset()) | {STAMP, PARTITION}
    differences = []
    for key in sorted(set(live) | set(rebuilt)):
        if key not in live:
            differences.append(Difference(projection, key, "", None, rebuilt[key]))
        elif key not in rebuilt:
            differences.append(Difference(projection, key, "", live[key], None))
        elif isinstance(live[key], dict) and isinstance(rebuilt[key], dict):
            for field in sorted((set(live[key]) | set(rebuilt[key])) - skipped):
                a, b = live[key].get(field), rebuilt[key].get(field)
                if _normal(a, as_set=field in order_free) != _normal(b, as_set=field in order_free):
                    differences.append(Difference(projection, key, field, a, b))
        elif _normal(live[key]) != _normal(rebuilt[key]):
            differences.append(Difference(projection, key, "", live[key], rebuilt[key]))
    return differences


def _normal(value: Any, *, as_set: bool = False) -> Any:
    """As the table stores it: through JSON (tuples become lists, dates are tagged the same way)."""
    if as_set and isinstance(value, list | tuple):
        return sorted(json.dumps(v, sort_keys=True, default=str) for v in value)
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def comparable_cases(
    live: dict[str, Any], rebuilt: dict[str, Any], flow_map: FlowMap
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Leave out what the worker rightly no longer holds (closed cases past the retention) and
    cases of flows no longer installed, which nothing here can rebuild: on the live side they name
    their flow; rebuilt here they have none (only their other events were understood), and once
    the worker purged them they are on the rebuilt side alone."""
    uninstalled = {k for k, v in live.items() if v.get("flow") not in (None, *flow_map.flows)}
    kept_live = {k: v for k, v in live.items() if k not in uninstalled}
    kept_rebuilt = {
        k: v
        for k, v in rebuilt.items()
        if k not in uninstalled and (k in live or (v.get("status") == OPEN and v.get("flow") is not None))
    }
    return kept_live, kept_rebuilt


def comparable_issues(live: Mapping[str, Any], rebuilt: dict[str, Any]) -> dict[str, Any]:
    """The rebuilt issues less those the worker rightly no longer holds: closed or merged ones
    past the retention, on the rebuilt side alone."""
    return {k: v for k, v in rebuilt.items() if k in live or v.get("status") not in m.FINAL_STATUSES}


def read_live(reader: LogReader, app_id: str, table: str) -> dict[str, Any]:
    """A faust table as its changelog holds it: the latest value per key, deletions applied."""
    table_now: dict[str, Any] = {}
    for record in reader.scan(dict.fromkeys(reader.partitions_of(changelog_topic(app_id, table)), 0)):
        key = json.loads(record.key)
        if record.value is None:
            table_now.pop(key, None)
        else:
            table_now[key] = json.loads(record.value)
    return table_now


def rebuild(
    reader: LogReader, *, app_id: str, progress: Callable[[int, int], None] | None = None
) -> tuple[dict[str, int], list[Difference]]:
    """Counts per projection, and every difference between live and rebuilt."""
    from streams.runtime import PLATFORM_VERSION, TRACKER

    connection = reader.connection
    flow_map = FlowMap(discovery.flows(), discovery.departments())
    publisher = Publisher(
        connection.catalog,
        connection.codec,
        producer=TRACKER,
        version=PLATFORM_VERSION,
        clock=connection.settings.clock(),
    )
    tracker, machine = CaseTracker(flow_map, publisher), IssueMachine(load_book())
    wanted = {connection.catalog[t].topic for t in tracker.event_types | set(INPUTS) | {m.CLOSED, m.REFUSED}}
    topics = [t for t in reader.topics if t in wanted]
    records = reader.decoded(reader.scan(dict.fromkeys(reader.all_partitions(topics), 0)))
    rebuilt = fold_projections(records, tracker, machine)
    differences: list[Difference] = []
    counts = {}
    for projection in PROJECTIONS:
        live = read_live(reader, app_id, projection)
        if projection == CASES:
            live, rebuilt[projection] = comparable_cases(live, rebuilt[projection], flow_map)
        elif projection == ISSUES:
            rebuilt[projection] = comparable_issues(live, rebuilt[projection])
        counts[projection] = len(rebuilt[projection])
        differences += compare(live, rebuilt[projection], projection)
    return counts, differences
