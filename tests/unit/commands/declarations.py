"""Small departments and flows built by hand, for tests that need a broken declaration."""

from __future__ import annotations

from typing import Any

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent
from streams.flows import Figures, Flow, Published, Step


async def nothing(event: Event) -> list[NewEvent]:
    return []


def matter(name: str, trigger: str, done: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "trigger": trigger, "done": done, "sla_working_days": 1} | extra


def department(name: str, display_name: str, *matters: dict[str, Any]) -> Department:
    built = Department(name, display_name)
    for spec in matters:
        spec = dict(spec)
        matter_name = spec.pop("name")
        built.matter(matter_name, spec.pop("display_name", matter_name), **spec)(nothing)
    return built


def shop(*extra: Department) -> list[Department]:
    """A licence on application, then a permit and a conditional fire check on the licence."""
    return [
        department(
            "registry",
            "登记局",
            matter("licence", "Applied", "Licensed", display_name="执照", materials=("id_card",)),
            matter("permit", "Licensed", "Permitted", display_name="许可", sla_working_days=5),
        ),
        department(
            "fire",
            "消防救援",
            matter("check", "Licensed", "Checked", display_name="检查", when=Condition("area", ">", 300)),
        ),
        *extra,
    ]


STEPS = (
    Step(matter="registry.licence"),
    Step(matter="registry.permit", after=("registry.licence",)),
    Step(matter="fire.check", after=("registry.licence",)),
)


def shop_flow(**changes: Any) -> Flow:
    fields: dict[str, Any] = {
        "name": "open_shop",
        "display_name": "开店",
        "lead": "registry",
        "application": "Applied",
        "steps": STEPS,
        "sla_working_days": 10,
        "published": Published(
            source="某市",
            before=Figures(materials=9, trips=4, steps=16, working_days=32),
            after=Figures(materials=2, trips=1, steps=3, working_days=5),
        ),
    }
    return Flow(**(fields | changes))


# Every event the shop mentions: a stand-in for the catalog of schemas.
SHOP_SCHEMAS = {"Applied", "Licensed", "Permitted", "Checked", "MatterRejected"}


# Plugged in through ONETHING_EXTRA_DEPARTMENTS: counts licences into an event nobody reads and
# no contract describes.
stray = department("stats", "统计局", matter("count", "BusinessLicenseIssued", "LicencesCounted"))
