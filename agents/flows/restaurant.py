"""开办餐饮店: the licence first, then the food permit, signboard, fire check and health certificates
in parallel (one joint site inspection)."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.market_regulation import RESTAURANT_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, citizen, vary, with_materials

LICENSE = "market_regulation.business_license"
NAMES = ("阿娘面馆", "老宁波海鲜楼", "鼓楼小笼包", "海曙烧烤", "三江口茶餐厅", "天一阁素食")


def application(**overrides: Any) -> dict[str, Any]:
    """A complete, eligible application; overrides change any field."""
    payload = {
        "business_name": "阿娘面馆",
        "legal_representative": citizen(Random(1)),
        "address": "浙江省宁波市海曙区中山西路 1 号",
        "premises_area_m2": 120.0,
        "staff_count": 4,
        "signboard_text": None,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"business_name": "中华老字号酒楼"},  # a name needing approval
        {"premises_area_m2": 8.0},  # no room for a food-handling area
        {"staff_count": 0},  # nobody to hold a health certificate
    ]


def sample(rng: Random) -> dict[str, Any]:
    name = rng.choice(NAMES)
    payload = application(
        business_name=name,
        legal_representative=citizen(rng),
        premises_area_m2=float(rng.choice((40, 80, 120, 180, 260, 320, 450, 600))),
        staff_count=rng.randint(1, 30),
        signboard_text=rng.choice((None, name)),
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="open_restaurant",
    display_name="开办餐饮店",
    lead="market_regulation",
    application="RestaurantApplicationSubmitted",
    steps=(
        Step(matter=LICENSE),
        Step(matter="market_regulation.food_business_permit", after=(LICENSE,)),
        Step(matter="urban_management.outdoor_signboard", after=(LICENSE,)),
        Step(matter="fire_rescue.fire_safety_inspection", after=(LICENSE,)),
        Step(matter="health.staff_health_certificates", after=(LICENSE,)),
    ),
    sla_working_days=13,
    published=Published(
        source="四川",
        before=Figures(materials=35, steps=17, working_days=48, form_fields=100),
        after=Figures(materials=17, steps=2, working_days=13, form_fields=58),
    ),
    sample=sample,
)
