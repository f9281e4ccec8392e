"""需求发现: which flows do the same applicants apply for together? Candidates for a new 一件事.

For each subject (enterprise USCC or citizen token), its applications are cut into episodes: an
episode starts with an application and takes every later one within ``window_days`` of that start.
Each set of two or more distinct flows applied for in one episode counts once for that episode.
Sets seen at least ``min_count`` times are proposed, unless a declared bundle already covers them,
or a larger proposed set was seen as often (the smaller one only repeats it).

Applications made as members of a bundle are left out: they were asked for together on purpose.
Pure: a fold over decoded events, no broker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from streams.bundles import is_bundle_case
from streams.events import Event

# Larger sets are rare and their number grows fast; four flows make a large 一件事 already.
MAX_SET_SIZE = 4


@dataclass(frozen=True, slots=True)
class Applied:
    subject: str
    flow: str
    at: datetime
    case_id: str


@dataclass(frozen=True, slots=True)
class Candidate:
    flows: tuple[str, ...]  # sorted
    count: int  # episodes in which all of them were applied for
    subjects: int  # distinct applicants behind those episodes


def applications(events: Iterable[Event], by_application: Mapping[str, str]) -> list[Applied]:
    """Each case's application once, outside bundles, as (subject, flow, time)."""
    seen: dict[str, Applied] = {}
    for event in events:
        flow = by_application.get(event.type)
        if flow is None or event.case_id in seen:
            continue
        if is_bundle_case(str(event.envelope.get("correlation_id") or "")):
            continue
        seen[event.case_id] = Applied(event.subject, flow, _moment(event.occurred_at), event.case_id)
    return list(seen.values())


def episodes(applied: Iterable[Applied], window_days: float) -> list[tuple[str, frozenset[str]]]:
    """Per subject, the sets of flows applied for within ``window_days`` of an episode's start."""
    by_subject: dict[str, list[Applied]] = defaultdict(list)
    for one in applied:
        by_subject[one.subject].append(one)
    window = timedelta(days=window_days)
    found = []
    for subject, items in sorted(by_subject.items()):
        items.sort(key=lambda a: a.at)
        start, flows = None, set()
        for one in items:
            if start is None or one.at - start > window:
                if len(flows) > 1:
                    found.append((subject, frozenset(flows)))
                start, flows = one.at, set()
            flows.add(one.flow)
        if len(flows) > 1:
            found.append((subject, frozenset(flows)))
    return found


def candidates(
    found: Iterable[tuple[str, frozenset[str]]],
    *,
    min_count: int,
    declared: Sequence[frozenset[str]] = (),
) -> list[Candidate]:
    """Sets of flows applied for together at least ``min_count`` times, most frequent first."""
    counts: Counter[tuple[str, ...]] = Counter()
    subjects: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for subject, flows in found:
        ordered = sorted(flows)
        for size in range(2, min(len(ordered), MAX_SET_SIZE) + 1):
            for combo in combinations(ordered, size):
                counts[combo] += 1
                subjects[combo].add(subject)
    frequent = {
        combo: n
        for combo, n in counts.items()
        if n >= min_count and not any(set(combo) <= covered for covered in declared)
    }
    closed = [
        combo
        for combo, n in frequent.items()
        if not any(
            len(other) > len(combo) and set(combo) < set(other) and m == n for other, m in frequent.items()
        )
    ]
    closed.sort(key=lambda combo: (-frequent[combo], -len(combo), combo))
    return [Candidate(combo, frequent[combo], len(subjects[combo])) for combo in closed]


def discover(
    events: Iterable[Event],
    by_application: Mapping[str, str],
    *,
    window_days: float,
    min_count: int,
    declared: Sequence[frozenset[str]] = (),
) -> list[Candidate]:
    return candidates(
        episodes(applications(events, by_application), window_days), min_count=min_count, declared=declared
    )


def _moment(value: datetime | int) -> datetime:
    if isinstance(value, datetime):
        return value
    from datetime import UTC

    return datetime.fromtimestamp(int(value) / 1000, UTC)
