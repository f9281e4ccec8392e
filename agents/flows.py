"""The 一件事 flows the reference departments take part in."""

from __future__ import annotations

from streams.flows import Figures, Flow, Published, Step

LICENSE = "market_regulation.business_license"

open_restaurant = Flow(
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
)
