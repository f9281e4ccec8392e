"""开办运输企业: 交通 pre-reviews everything, 市场监管 issues the licence first; then the road transport
permit (and the vehicles' certificates after it), seal filing and tax registration in parallel."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.transport import TRANSPORT_COMPANY_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, citizen, vary, with_materials

PRE_REVIEW = "transport.transport_pre_review"
LICENSE = "market_regulation.transport_company_license"
PERMIT = "transport.road_transport_permit"
NAMES = ("宁波顺达货运有限公司", "宁波甬通物流有限公司", "宁波四明客运有限公司", "宁波港城运输有限公司")


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "legal_representative": citizen(Random(2)),
        "company_name": "宁波顺达货运有限公司",
        "address": "浙江省宁波市北仑区新碶街道明州路 88 号",
        "transport_kind": "FREIGHT",
        "vehicle_count": 5,
        "driver_count": 6,
        "parking_area_m2": 200.0,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"transport_kind": "PASSENGER_CHARTER", "vehicle_count": 5},  # too small a coach fleet
        {"driver_count": 3},  # fewer qualified drivers than vehicles
        {"company_name": "宁波顺达有限公司"},  # the name does not say transport
    ]


def sample(rng: Random) -> dict[str, Any]:
    kind = rng.choice(("FREIGHT", "FREIGHT", "PASSENGER_CHARTER"))
    vehicles = rng.randint(10, 30) if kind == "PASSENGER_CHARTER" else rng.randint(1, 20)
    payload = application(
        legal_representative=citizen(rng),
        company_name=rng.choice(NAMES),
        transport_kind=kind,
        vehicle_count=vehicles,
        driver_count=vehicles + rng.randint(0, 5),
        parking_area_m2=float(vehicles * rng.choice((30, 40, 60))),
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="open_transport_company",
    display_name="开办运输企业",
    lead="transport",
    application="TransportCompanyApplicationSubmitted",
    steps=(
        Step(matter=PRE_REVIEW),
        Step(matter=LICENSE, after=(PRE_REVIEW,)),
        Step(matter=PERMIT, after=(LICENSE,)),
        Step(matter="transport.vehicle_transport_certificates", after=(PERMIT,)),
        Step(matter="public_security.company_seal_filing", after=(LICENSE,)),
        Step(matter="tax.new_taxpayer_registration", after=(LICENSE,)),
    ),
    sla_working_days=10,
    sample=sample,
)
