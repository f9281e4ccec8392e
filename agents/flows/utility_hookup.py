"""水电气网联合报装: one form, one joint site survey, then each utility's plan in parallel; the case's
completion is the one combined reply."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.housing import UTILITY_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, enterprise, vary, with_materials

SURVEY = "housing.joint_site_survey"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "uscc": enterprise(Random(10)),
        "project_name": "宁波智造产业园一期",
        "address": "浙江省宁波市鄞州区首南街道学士路 655 号",
        "building_area_m2": 8000.0,
        "needs_water": True,
        "needs_power": True,
        "needs_gas": True,
        "needs_telecom": True,
        "power_capacity_kva": 630.0,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"needs_water": False, "needs_power": False, "needs_gas": False, "needs_telecom": False},
        {"power_capacity_kva": 12000.0},  # beyond a 10 kV public line
    ]


def sample(rng: Random) -> dict[str, Any]:
    payload = application(
        uscc=enterprise(rng),
        building_area_m2=float(rng.choice((300, 1500, 4000, 8000, 20000))),
        needs_water=rng.random() < 0.9,
        needs_power=True,
        needs_gas=rng.random() < 0.5,
        needs_telecom=rng.random() < 0.8,
        power_capacity_kva=float(rng.choice((50, 100, 160, 400, 630, 1250))),
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="utility_hookup",
    display_name="水电气网联合报装",
    lead="housing",
    application="UtilityHookupApplicationSubmitted",
    steps=(
        Step(matter=SURVEY),
        Step(matter="water_supply.water_hookup_plan", after=(SURVEY,)),
        Step(matter="power_supply.power_hookup_plan", after=(SURVEY,)),
        Step(matter="gas_supply.gas_hookup_plan", after=(SURVEY,)),
        Step(matter="telecom.telecom_hookup_plan", after=(SURVEY,)),
    ),
    sla_working_days=3,
    # The catalog gives the utilities' internal time (≤ 3 working days) without naming a region.
    published=Published(source="未注明地区", before=Figures(), after=Figures(working_days=3)),
    sample=sample,
)
