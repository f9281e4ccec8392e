"""Handling times: how long a department takes over a matter, and the outputs it holds meanwhile.

A matter declares a typical handling time in working days. With handling times on, each case draws
its own from the case id and the matter (a redelivery draws the same), and the department holds
the matter's outputs until that many working days after the trigger on the platform clock:

    hold    the trigger is handled; its outputs wait in the department's holds table
    release a timer sees the hold is due and publishes HandlingTimeElapsed (a stable id)
    publish the department folds that event in: the held outputs go out, stamped at the due
            moment, under the ids they would have had at once, and the hold is deleted

Pure, without faust: the holds live wherever the caller keeps them (a table in the worker).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from streams.calendar import add_working_days
from streams.events import Event, NewEvent
from streams.joins import from_json, to_json
from streams.publisher import OutgoingRecord, Publisher
from streams.tracker import from_millis, hash_index, millis

RELEASED = "HandlingTimeElapsed"
# Draws spread from half the typical time to twice it, most of them short, a few long: the mean is
# the typical time, and a matter typical at 80 % of its SLA runs late about one case in four.
LOW, HIGH = 0.5, 2.0

Hold = dict[str, Any]


def handling_days(case_id: str, matter_key: str, typical: float) -> float:
    """This case's handling time for the matter, in working days: triangular over
    [LOW·typical, HIGH·typical] with its mode at the low end, so its mean is ``typical``."""
    if typical <= 0:
        return 0.0
    digest = hashlib.sha256(f"{case_id}/{matter_key}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64  # uniform in [0, 1), the same in every process
    low, high = LOW * typical, HIGH * typical
    return high - (high - low) * math.sqrt(1 - u)


def hold_key(cause: Event, matter_key: str) -> str:
    return f"{cause.event_id}/{matter_key}"


def hold(matter_key: str, cause: Event, outputs: list[tuple[int, NewEvent]], typical: float) -> Hold:
    """What a department keeps while it handles ``matter_key`` for ``cause``'s case: the outputs
    with the indexes their ids derive from, and when they are due."""
    days = handling_days(cause.case_id, matter_key, typical)
    return {
        "case_id": cause.case_id,
        "matter": matter_key,
        "working_days": days,
        "due_at": millis(add_working_days(from_millis(millis(cause.occurred_at)), days)),
        "cause": {
            "type": cause.type,
            "payload": to_json(cause.payload),
            "envelope": to_json(cause.envelope),
            "topic": cause.topic,
            "joined": list(cause.joined),
        },
        "outputs": [
            {"index": index, "type": new.type, "payload": to_json(new.payload), "subject": new.subject}
            for index, new in outputs
        ],
    }


def due_of(held: Hold | None) -> int | None:
    return held["due_at"] if held else None


def held_cause(held: Hold) -> Event:
    cause = held["cause"]
    return Event(
        cause["type"],
        from_json(cause["payload"]),
        from_json(cause["envelope"]),
        cause["topic"],
        joined=tuple(cause["joined"]),
    )


def held_outputs(publisher: Publisher, held: Hold) -> list[OutgoingRecord]:
    """The held outputs as records: the ids they would have had at once, stamped at the due moment."""
    cause = held_cause(held)
    return [
        publisher.build(
            NewEvent(output["type"], from_json(output["payload"]), output["subject"]),
            cause=cause,
            index=output["index"],
            occurred_at=held["due_at"],
        )
        for output in held["outputs"]
    ]


def release(publisher: Publisher, key: str, held: Hold) -> OutgoingRecord:
    """HandlingTimeElapsed for a due hold; its id is stable, so a timer firing twice publishes one event."""
    elapsed = NewEvent(
        RELEASED,
        {
            "department": publisher.producer,
            "matter": held["matter"],
            "hold": key,
            "due_at": held["due_at"],
            "working_days": float(held["working_days"]),
        },
    )
    # Past any output's index (a trigger yields a handful), so the ids never meet.
    return publisher.build(elapsed, cause=held_cause(held), index=hash_index(f"handling:{held['matter']}"))
