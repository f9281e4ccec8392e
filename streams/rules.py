"""Rules a department declares for a matter, so they can be checked before the matter's turn.

    @rule("premises_area_m2")
    def room_for_food_handling(application, on):
        return ["经营场所面积不足以设置食品处理区（< 10 m²）"] if application["premises_area_m2"] < 10 else []

    @market_regulation.matter("food_business_permit", ..., rules=(room_for_food_handling,))

A rule reads named fields and says what is wrong, in words for the applicant. The runtime checks a
matter's rules on its trigger before the handler runs; and because applications carry the same
fields, the flow's lead checks every department's rules at submission (streams/prereview.py), so the
applicant hears everything once, before any certificate is issued (一次告知, 智能预审).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

# (payload, the day it is judged on) -> what is wrong; empty when nothing is.
Check = Callable[[Mapping[str, Any], date], list[str]]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    reads: tuple[str, ...]
    check: Check

    def applies_to(self, payload: Mapping[str, Any]) -> bool:
        """A rule is checkable on a payload that carries every field it reads."""
        return all(field in payload for field in self.reads)

    def problems(self, payload: Mapping[str, Any], on: date) -> list[str]:
        return list(self.check(payload, on)) if self.applies_to(payload) else []


def rule(*reads: str) -> Callable[[Check], Rule]:
    """Declare a check over the fields ``reads``."""
    if not reads:
        raise ValueError("a rule reads at least one field")

    def declare(check: Check) -> Rule:
        return Rule(check.__name__, tuple(reads), check)

    return declare


def problems_of(rules: Iterable[Rule], payload: Mapping[str, Any], on: date) -> list[str]:
    return [problem for r in rules for problem in r.problems(payload, on)]
