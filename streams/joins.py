"""All-of triggers (joins): remember a case's trigger events until the last one arrives, then merge.

Pure, without faust: the state is a small JSON document the caller keeps wherever it likes (a faust
table in the worker, a dict in tests), under ``join_key(case_id, matter)``:

    {"events": {event type: {"payload": …, "envelope": …, "topic": …}}, "fired": [event ids] | None}

Merging: the handler sees one Event whose payload is the trigger payloads merged in the order the
matter declares its triggers, with the arriving (last) trigger merged last — so on equal keys a
later trigger wins, and the last one wins over all. The envelope is the last trigger's, so the
outputs' causation_id is the last trigger's event id; ``Event.joined`` names every trigger's id.
Once fired, the state keeps only the ids, so the join can never fire twice for the same case.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from streams.events import Event

State = dict[str, Any]


def join_key(case_id: str, matter_key: str) -> str:
    return f"{case_id}/{matter_key}"


def to_json(value: Any) -> Any:
    """Decoded Avro values to JSON, tagging what JSON lacks so ``from_json`` restores the same types."""
    if isinstance(value, datetime):
        return {"$datetime": int(value.timestamp() * 1000)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            [(tag, inner)] = value.items()
            if tag == "$datetime":
                return datetime.fromtimestamp(inner / 1000, UTC)
            if tag == "$date":
                return date.fromisoformat(inner)
            if tag == "$uuid":
                return uuid.UUID(inner)
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def arrive(state: State | None, event: Event, triggers: tuple[str, ...]) -> tuple[State, Event | None]:
    """Fold one trigger into the join; return the new state and the merged event once all are in.

    Returns ``None`` as the event while some trigger is missing, and always after the join fired.
    A second event of a type already seen replaces the first (its newer facts win).
    """
    state = {"events": {}, "fired": None} if state is None else state
    if state["fired"] is not None or event.type not in triggers:
        return state, None
    stored = {"payload": to_json(event.payload), "envelope": to_json(event.envelope), "topic": event.topic}
    events = {**state["events"], event.type: stored}
    if not all(t in events for t in triggers):
        return {"events": events, "fired": None}, None
    merged = _merge(events, triggers, last=event.type)
    return {"events": {}, "fired": list(merged.joined)}, merged


def _merge(events: Mapping[str, Any], triggers: tuple[str, ...], *, last: str) -> Event:
    order = [t for t in triggers if t != last] + [last]
    payload: dict[str, Any] = {}
    for event_type in order:
        payload |= from_json(events[event_type]["payload"])
    final = events[last]
    ids = tuple(str(from_json(events[t]["envelope"])["event_id"]) for t in order)
    return Event(last, payload, from_json(final["envelope"]), final["topic"], joined=ids)
