"""Pure arithmetic of a benchmark report: percentiles, ratios, targets and the JSON shape.

Every figure is a value next to a baseline measured in the same run on the same broker, so the
ratio means something on any machine; the target says whether the ratio (or, where the issue
states an absolute bound, the value) is good enough.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_MEASURED = "not measured"

_COMPARISONS = {">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt}


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0..1) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0 <= fraction <= 1:
        raise ValueError(f"percentile fraction {fraction} is outside 0..1")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below, above = math.floor(position), math.ceil(position)
    weight = position - below
    return ordered[below] + (ordered[above] - ordered[below]) * weight


def ratio(value: float | None, baseline: float | None) -> float | None:
    """value / baseline, or None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline == 0:
        return None
    return value / baseline


@dataclass(frozen=True, slots=True)
class Target:
    """A bound on a figure's ratio (default) or on its value, e.g. ``ratio >= 8``."""

    op: str
    bound: float
    on: str = "ratio"

    def __post_init__(self) -> None:
        if self.op not in _COMPARISONS:
            raise ValueError(f"unknown comparison {self.op!r}")
        if self.on not in ("ratio", "value"):
            raise ValueError(f"a target is on the ratio or the value, not {self.on!r}")

    def met(self, *, value: float | None, ratio: float | None) -> bool:
        compared = ratio if self.on == "ratio" else value
        return compared is not None and _COMPARISONS[self.op](compared, self.bound)

    def __str__(self) -> str:
        return f"{self.on} {self.op} {self.bound:g}"


@dataclass(frozen=True)
class Figure:
    """One measured figure: its value against a baseline from the same run."""

    name: str
    value: float | None
    baseline: float | None
    target: Target
    unit: str = ""
    baseline_is: str = ""  # what the baseline measured, in words
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return ratio(self.value, self.baseline)

    @property
    def met(self) -> bool:
        return self.target.met(value=self.value, ratio=self.ratio)

    def as_json(self) -> dict[str, Any]:
        measured = self.value is not None
        return {
            "value": _rounded(self.value) if measured else NOT_MEASURED,
            "baseline": _rounded(self.baseline),
            "ratio": _rounded(self.ratio),
            "target": str(self.target),
            "met": self.met,
            "unit": self.unit,
            "baseline_is": self.baseline_is,
            **({k: _rounded(v) for k, v in self.details.items()}),
        }


def not_measured(name: str, target: Target, why: str) -> Figure:
    """A placeholder that says plainly the figure was not measured, and why."""
    return Figure(name, None, None, target, details={"why": why})


def report(figures: Sequence[Figure], *, machine: dict[str, Any], scale: dict[str, Any]) -> dict[str, Any]:
    """The one JSON object `onething bench --json` prints."""
    return {
        "figures": {f.name: f.as_json() for f in figures},
        "met": sum(f.met for f in figures),
        "measured": sum(f.value is not None for f in figures),
        "machine": machine,
        "scale": scale,
    }


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4) if abs(value) < 100 else round(value, 1)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
