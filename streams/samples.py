"""Made-up applicants for a flow's `sample(rng)`: citizens as tokens, enterprises as valid USCCs, and
the materials they hand in. Most applications are complete and eligible; some miss a material or break
one rule, so a simulation runs every branch, 一次告知 included.

A simulation deals each flow a `FaultPlan`: in every round of ten applications exactly one misses a
material and one breaks a rule, so each flow's rejection share is set by the plan, not by luck.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from random import Random
from typing import Any, Literal

from streams.checklist import Checklist
from streams.days import today
from streams.identifiers import make_citizen_id, make_uscc, tokenize_citizen_id

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华"
# 宁波's districts by division code.
DISTRICTS = {
    "330203": "海曙区",
    "330205": "江北区",
    "330206": "北仑区",
    "330211": "镇海区",
    "330212": "鄞州区",
}
# 网办优先、自助为辅、窗口兜底: most applications come online, by phone app (掌上办) more than by
# web portal (网上办); some at a terminal or the nearby station, few at a counter or by hotline.
# Drawn with rng.choice, so the shares are slots out of 40: 87.5 % online, near the 85 % target.
CHANNELS = (
    ("MOBILE",) * 20
    + ("ONLINE",) * 15
    + ("SELF_SERVICE",) * 2
    + ("NEARBY",) * 1
    + ("COUNTER",) * 1
    + ("HOTLINE",) * 1
)
INCOMPLETE_SHARE = 0.1
INELIGIBLE_SHARE = 0.1
# A plan deals faults in rounds this long, so the shares above hold in every round, not on average.
ROUND = 10

Fault = Literal["incomplete", "ineligible"]
_PLANNED: ContextVar[tuple[Fault | None] | None] = ContextVar("planned_fault", default=None)


def person_name(rng: Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + "".join(rng.choices(GIVEN_NAMES, k=rng.randint(1, 2)))


def born(rng: Random, youngest: int, oldest: int) -> date:
    """A birthday of someone aged between ``youngest`` and ``oldest`` today."""
    return today() - timedelta(days=rng.randint(youngest * 365 + 1, oldest * 365 + 364))


def citizen(rng: Random, birthday: date | None = None, division: str = "330203") -> str:
    """The token of a made-up 公民身份号码: the number itself never leaves this function."""
    birthday = birthday or born(rng, 20, 60)
    return tokenize_citizen_id(make_citizen_id(division, birthday, rng.randint(1, 999)))


def enterprise(rng: Random, division: str = "330203") -> str:
    return make_uscc(f"sample-{rng.getrandbits(64)}", division=division)


def with_materials(checklist: Checklist, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with every material its checklist requires of it, unless materials are given."""
    if "materials" not in payload:
        payload["materials"] = checklist.required(payload)
    return payload


class FaultPlan:
    """Which of one flow's applications go wrong: each round of `ROUND` holds exactly
    `INCOMPLETE_SHARE` of them one material short and `INELIGIBLE_SHARE` breaking a rule, in an
    order drawn by ``rng``. Forty applications of a flow are thus 20 % bad whatever the seed."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.dealt: list[Fault | None] = []

    def next(self) -> Fault | None:
        if not self.dealt:
            incomplete = round(INCOMPLETE_SHARE * ROUND)
            ineligible = round(INELIGIBLE_SHARE * ROUND)
            faults: list[Fault | None] = ["incomplete"] * incomplete + ["ineligible"] * ineligible
            self.dealt = faults + [None] * (ROUND - len(faults))
            self.rng.shuffle(self.dealt)
        return self.dealt.pop()


@contextmanager
def planned(fault: Fault | None) -> Iterator[None]:
    """Inside, `vary` makes the application go wrong as planned (``None``: not at all)."""
    token = _PLANNED.set((fault,))
    try:
        yield
    finally:
        _PLANNED.reset(token)


def vary(
    rng: Random, payload: dict[str, Any], checklist: Checklist, ineligible: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """One material short or one rule broken, as planned; unplanned, now and then; else as given."""
    plan = _PLANNED.get()
    fault = plan[0] if plan else _roll(rng)
    # A payload with no materials (a fact another department published) is never one short.
    has_materials = bool(payload.get("materials"))
    if fault == "incomplete" and not has_materials:
        fault = "ineligible"
    if fault == "ineligible" and not ineligible:
        fault = "incomplete" if has_materials else None
    if fault == "incomplete":
        dropped = rng.choice(payload["materials"])
        return payload | {"materials": [code for code in payload["materials"] if code != dropped]}
    if fault == "ineligible":
        return payload | dict(rng.choice(ineligible))
    return payload


def _roll(rng: Random) -> Fault | None:
    roll = rng.random()
    if roll < INCOMPLETE_SHARE:
        return "incomplete"
    return "ineligible" if roll < INCOMPLETE_SHARE + INELIGIBLE_SHARE else None
