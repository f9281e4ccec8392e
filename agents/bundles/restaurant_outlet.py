"""开一家连锁餐饮门店: a chain opens an outlet — licence, food permit, fire check, signboard and
health certificates (开办餐饮店), water, power, gas and telecom (水电气网联合报装) and the first hire
(员工录用) — from one form, submitted once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from random import Random
from typing import Any

from agents.flows import hiring, restaurant, utility_hookup
from agents.flows.applicants import CHANNELS, born, citizen, enterprise, today
from streams.bundles import Bundle

OUTLETS = ("阿娘面馆 天一店", "老宁波海鲜楼 东部新城店", "鼓楼小笼包 南塘店", "三江口茶餐厅 北仑店")


def form(**overrides: Any) -> dict[str, Any]:
    """A complete, eligible form; overrides change any field."""
    return {
        "chain_uscc": enterprise(Random(40)),
        "outlet_name": "阿娘面馆 天一店",
        "manager": citizen(Random(41)),
        "address": "浙江省宁波市海曙区药行街 88 号",
        "premises_area_m2": 180.0,
        "staff_count": 8,
        "signboard_text": "阿娘面馆",
        "power_capacity_kva": 100.0,
        "needs_gas": True,
        "first_employee": citizen(Random(42), date(1999, 3, 2)),
        "first_employee_birth_date": date(1999, 3, 2),
        "monthly_wage_yuan": 5200.0,
        "contract_start": today() - timedelta(days=2),
        "channel": "MOBILE",
    } | overrides


def applications(outlet: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The member flows' applications, each filled from the one form."""
    channel = outlet["channel"]
    return {
        "open_restaurant": restaurant.application(
            business_name=outlet["outlet_name"],
            legal_representative=outlet["manager"],
            address=outlet["address"],
            premises_area_m2=outlet["premises_area_m2"],
            staff_count=outlet["staff_count"],
            signboard_text=outlet["signboard_text"],
            channel=channel,
        ),
        "utility_hookup": utility_hookup.application(
            uscc=outlet["chain_uscc"],
            project_name=f"{outlet['outlet_name']} 门店装修",
            address=outlet["address"],
            building_area_m2=outlet["premises_area_m2"],
            needs_gas=outlet["needs_gas"],
            power_capacity_kva=outlet["power_capacity_kva"],
            channel=channel,
        ),
        "hiring": hiring.application(
            employer_uscc=outlet["chain_uscc"],
            employee=outlet["first_employee"],
            employee_birth_date=outlet["first_employee_birth_date"],
            contract_start=outlet["contract_start"],
            monthly_wage_yuan=outlet["monthly_wage_yuan"],
            channel=channel,
        ),
    }


def sample(rng: Random) -> dict[str, Any]:
    birthday = born(rng, 18, 45)
    return form(
        chain_uscc=enterprise(rng),
        outlet_name=rng.choice(OUTLETS),
        manager=citizen(rng),
        premises_area_m2=float(rng.choice((60, 120, 180, 260, 420))),
        staff_count=rng.randint(3, 25),
        needs_gas=rng.random() < 0.8,
        first_employee=citizen(rng, birthday),
        first_employee_birth_date=birthday,
        contract_start=today() - timedelta(days=rng.randint(0, 10)),
        monthly_wage_yuan=float(rng.randint(3500, 9000)),
        channel=rng.choice(CHANNELS),
    )


bundle = Bundle(
    name="open_restaurant_outlet",
    display_name="开一家连锁餐饮门店",
    description="连锁餐饮企业开设门店：营业执照、食品经营许可、消防、招牌、健康证明、水电气网报装、员工录用",
    members=("open_restaurant", "utility_hookup", "hiring"),
    applications=applications,
    sample=sample,
)
