"""The 一件事 flows the reference departments take part in."""

from __future__ import annotations

from streams.flows import Flow, Step

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
    # Sichuan's published figure after the reform: 13 working days.
    sla_working_days=13,
)
