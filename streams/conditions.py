"""Conditions declared as data, so flows and matters stay inspectable (fire check only > 300 m²)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True, slots=True)
class Condition:
    """``field op value`` over an event's payload, e.g. ``Condition("premises_area_m2", ">", 300)``."""

    field: str
    op: str
    value: Any

    def __post_init__(self) -> None:
        if self.op not in _OPERATORS:
            raise ValueError(f"unknown operator {self.op!r}; use one of {', '.join(_OPERATORS)}")

    def holds(self, payload: Mapping[str, Any]) -> bool:
        if payload.get(self.field) is None:
            return False
        return _OPERATORS[self.op](payload[self.field], self.value)

    def __str__(self) -> str:
        return f"{self.field} {self.op} {self.value}"
