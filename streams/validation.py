"""Declarations checked against the contracts before anything runs.

A matter's `when` is read twice: by the runtime on the matter's trigger, and by the tracker on the
flow's application (to know whether the case needs the matter). A field missing from either, or a
condition that cannot hold for the field's type (a string compared with `>` to a number), leaves
cases open until escalation, so both are refused up front, naming flow, department, matter and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from streams.conditions import Condition
from streams.contracts import Catalog
from streams.department import Matter
from streams.flows import Flow

NUMBERS = {"int", "long", "float", "double"}
ORDERING = {">", ">=", "<", "<="}


@dataclass(frozen=True)
class Problem:
    """One reason a declaration cannot run; ``department``/``flow`` say whose it is."""

    message: str
    department: str | None = None
    flow: str | None = None

    def __str__(self) -> str:
        return self.message


def field_types(catalog: Catalog, event: str) -> dict[str, Any]:
    """The payload fields of ``event``'s contract, each with its Avro type (a null union unwrapped)."""
    return {f["name"]: _unwrap(f["type"]) for f in catalog[event].payload_fields}


def _unwrap(avro_type: Any) -> Any:
    if isinstance(avro_type, list):
        others = [t for t in avro_type if t != "null"]
        return others[0] if len(others) == 1 else others
    return avro_type


def _type_name(avro_type: Any) -> str:
    if isinstance(avro_type, dict):
        return avro_type.get("logicalType") or avro_type["type"]
    return str(avro_type)


def condition_problem(condition: Condition, avro_type: Any) -> str | None:
    """Why ``condition`` cannot be evaluated on a field of ``avro_type``; None when it can."""
    kind, value, op = _type_name(avro_type), condition.value, condition.op
    if value is None:
        return None if op in ("==", "!=") else f"orders the field against None ({condition})"
    if kind in NUMBERS:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"compares {'an' if kind == 'int' else 'a'} {kind} field with {value!r}"
    if kind == "boolean":
        if not isinstance(value, bool):
            return f"compares a boolean field with {value!r}"
        return None if op in ("==", "!=") else f"orders a boolean field with {op}"
    if kind == "date":
        return None if isinstance(value, date) else f"compares a date field with {value!r}"
    if kind == "string":
        return None if isinstance(value, str) else f"compares a string field with {op} to {value!r}"
    if kind == "enum":
        symbols = avro_type["symbols"]
        if op in ORDERING:
            return f"orders an enum field with {op}"
        return None if value in symbols else f"compares with {value!r}, not one of {', '.join(symbols)}"
    return f"cannot compare a {kind} field"


def when_problem(condition: Condition, catalog: Catalog, events: Sequence[str], where: str) -> str | None:
    """``condition`` read on the merged payload of ``events``; ``where`` opens the message."""
    known = [e for e in events if e in catalog]
    if not known:
        return None  # a missing contract is reported on its own
    types: dict[str, Any] = {}
    for event in known:
        types |= field_types(catalog, event)
    if condition.field not in types:
        return f"{where}: when {condition}: {' + '.join(events)} has no field {condition.field}"
    reason = condition_problem(condition, types[condition.field])
    if reason is None:
        return None
    return f"{where}: when {condition}: field {condition.field} of {' + '.join(events)} {reason}"


def _place(matter: Matter, flow: Flow | None = None) -> str:
    head = f"flow {flow.name}, " if flow else ""
    return f"{head}department {matter.department}, matter {matter.name} ({matter.key})"


def matter_problems(matters: Iterable[Matter], catalog: Catalog) -> list[Problem]:
    """Every event a matter names has a contract, and its `when` fits its triggers."""
    matters = list(matters)
    problems = [
        Problem(f"{_place(matter)}: {role} {event} has no schema", department=matter.department)
        for matter in matters
        for event, role in (
            dict.fromkeys(matter.triggers, "trigger") | {e: "emitted event" for e in matter.emits}
        ).items()
        if event not in catalog
    ]
    return problems + when_problems(matters, catalog)


def when_problems(matters: Iterable[Matter], catalog: Catalog) -> list[Problem]:
    """Each matter's `when` names a field of its triggers, of a type the condition can compare."""
    return [
        Problem(text, department=matter.department)
        for matter in matters
        if matter.when and (text := when_problem(matter.when, catalog, matter.triggers, _place(matter)))
    ]


def flow_problems(flow: Flow, matters: dict[str, Matter], catalog: Catalog) -> list[Problem]:
    """The flow's first event has a contract; every step is a known matter whose `when` fits it."""
    if flow.application not in catalog:
        return [Problem(f"flow {flow.name}: {flow.application} has no schema", flow=flow.name)]
    unknown = [
        Problem(f"flow {flow.name}: names unknown matter {step.matter}", flow=flow.name)
        for step in flow.steps
        if step.matter not in matters
    ]
    return unknown + flow_when_problems(flow, matters, catalog)


def flow_when_problems(flow: Flow, matters: dict[str, Matter], catalog: Catalog) -> list[Problem]:
    """The tracker reads each conditional step's `when` on the flow's first event: it must fit there."""
    problems = []
    for step in flow.steps:
        matter = matters.get(step.matter)
        if matter and matter.when:
            text = when_problem(matter.when, catalog, (flow.application,), _place(matter, flow))
            if text:
                problems.append(Problem(text, flow=flow.name))
    return problems
