"""一次告知: the lead department checks a flow's whole set of materials up front and names every gap
and every other problem in one rejection, so the applicant never comes back twice for the same case.

    RESTAURANT = Checklist(
        Material("business_premises_proof", "经营场所使用证明"),
        Material("fire_safety_commitment", "消防安全承诺书", when=Condition("premises_area_m2", ">", 300)),
    )

    if rejection := RESTAURANT.review(event.payload, *name_problems(event["business_name"])):
        return [rejection]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from streams.conditions import Condition
from streams.department import reject
from streams.events import NewEvent


@dataclass(frozen=True, slots=True)
class Material:
    code: str
    # What the applicant is told, e.g. 经营场所使用证明.
    name: str
    # Needed only by some applications (一般注销 needs a 清算报告, 简易注销 does not).
    when: Condition | None = None


class Checklist:
    """The materials a flow asks for; an application lists the codes it handed in under `materials`."""

    def __init__(self, *materials: Material) -> None:
        codes = [m.code for m in materials]
        if len(set(codes)) != len(codes):
            raise ValueError(f"a material is listed twice: {codes}")
        self.materials = materials

    def __iter__(self) -> Iterator[str]:
        return (m.code for m in self.materials)

    def __contains__(self, code: object) -> bool:
        return any(m.code == code for m in self.materials)

    def name(self, code: str) -> str:
        return next(m.name for m in self.materials if m.code == code)

    def required(self, application: Mapping[str, Any]) -> list[str]:
        """The codes this application must hand in: unconditional ones and those whose condition holds."""
        return [m.code for m in self.materials if m.when is None or m.when.holds(application)]

    def missing(self, application: Mapping[str, Any]) -> list[str]:
        handed_in = set(application.get("materials") or ())
        return [code for code in self.required(application) if code not in handed_in]

    def review(self, application: Mapping[str, Any], *problems: str) -> NewEvent | None:
        """None when nothing is missing and there is no other problem; otherwise one rejection naming all."""
        missing = self.missing(application)
        reasons = [f"缺少材料：{self.name(code)}" for code in missing] + list(problems)
        return reject(*reasons, missing_materials=missing) if reasons else None
