"""A real restaurant case run in memory, as the records a replay would read back from the log."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from functools import cache

from agents.flows import restaurant
from streams.codec import Codec
from streams.replay.reader import Located
from tests.unit.platform import platform


def encoded(codec: Codec, event, *, occurred_at=None) -> bytes:
    envelope = dict(event.envelope)
    if occurred_at is not None:
        envelope["occurred_at"] = occurred_at
    contract = platform().codec._catalog[event.type]
    return codec.encode(contract.full_name, {"envelope": envelope, "payload": event.payload})


@cache
def restaurant_records() -> tuple[Located, ...]:
    """Every event of one completed restaurant case, each at its own offset of its topic."""
    case = asyncio.run(platform().submit(restaurant.flow, restaurant.application(), case_id="C-REPLAY"))
    codec = platform().codec
    located = []
    for offset, event in enumerate(case.events):
        value = encoded(codec, event)
        at = int(event.envelope["occurred_at"].timestamp() * 1000)
        schema_id = int.from_bytes(value[1:5], "big")
        located.append(Located(event, event.topic, 0, offset, at, schema_id, value, event.case_id.encode()))
    return tuple(located)


def skewed(record: Located, seconds: float) -> Located:
    """The same record as a producer with a clock ``seconds`` off would have stamped it."""
    envelope = dict(record.event.envelope)
    envelope["occurred_at"] = envelope["occurred_at"] + timedelta(seconds=seconds)
    return replace(record, event=replace(record.event, envelope=envelope))


def schema_texts() -> dict[int, str]:
    """The writer schema of every registry id the in-memory codec uses."""
    catalog = platform().codec._catalog
    return {platform().codec.schema_id(c.full_name): json.dumps(c.schema) for c in catalog}
